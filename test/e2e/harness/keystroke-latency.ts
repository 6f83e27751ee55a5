import type { GhostTimeline, Workbench } from './workbench';

export interface TimedKeystroke {
  /** From the keydown event to the DOM change that showed the accepted ghost text, page clock. */
  latencyMs: number;
  /** The ghost text shown then. */
  inline: string;
  /** Whether the caret line showed no ghost text at some point between the key and that change. */
  ghostVanished: boolean;
}

/**
 * Presses `key` and times it to the first ghost-text change that `accept` takes (both
 * timestamps from the page: the keydown event and a MutationObserver on the editor).
 * The workbench's ghost timer must be running (`startGhostTimer`).
 */
export async function pressAndTime(
  window: Workbench,
  key: string,
  accept: (inline: string, lineText: string) => boolean,
  timeoutMs = 10_000,
): Promise<TimedKeystroke> {
  await window.takeGhostTimeline();
  await window.page.keyboard.press(key);
  const seen: GhostTimeline = { keys: [], ghosts: [], now: 0 };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taken = await window.takeGhostTimeline();
    seen.keys.push(...taken.keys);
    seen.ghosts.push(...taken.ghosts);
    const pressed = seen.keys[seen.keys.length - 1];
    if (pressed) {
      const after = seen.ghosts.filter((ghost) => ghost.at >= pressed.at);
      const shown = after.find((ghost) => accept(ghost.inline, ghost.lineText));
      if (shown) {
        const before = after.slice(0, after.indexOf(shown));
        return { latencyMs: shown.at - pressed.at, inline: shown.inline, ghostVanished: before.some((ghost) => ghost.inline === '') };
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no accepted ghost text within ${timeoutMs} ms of ${JSON.stringify(key)}; changes seen: ${JSON.stringify(seen.ghosts.slice(-5))}`);
    }
    await window.page.waitForTimeout(10);
  }
}
