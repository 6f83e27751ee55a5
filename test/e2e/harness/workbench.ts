import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';

/** The page-side half (plain JavaScript): editor readers and the keystroke/ghost-text timer. */
export const IN_PAGE_SCRIPT = join(__dirname, 'in-page.js');

/** Keystrokes and ghost-text changes, on the page's clock (`performance.now()` milliseconds). */
export interface GhostTimeline {
  keys: { key: string; at: number }[];
  ghosts: { at: number; inline: string; lineText: string }[];
  now: number;
}

/** What the caret's line shows as ghost text (spaces normalised), and the line's own text. */
export interface GhostTextReading {
  /** Ghost text after the caret on its line (`span.ghost-text-decoration`). */
  inline: string;
  /** Further ghost lines (`span.ghost-text` in the view zones), joined with `\n`. */
  below: string;
  /** The caret line's document text, without any ghost text. */
  lineText: string;
}

export interface StatusBarItem {
  id: string;
  /** The rendered text; a `$(icon)` renders as an empty codicon span, reported in `icons`. */
  text: string;
  icons: string[];
  ariaLabel: string;
  /** `error-kind` / `warning-kind` when the item has an error or warning background. */
  classes: string[];
}

interface PageProbes {
  __switchyardE2E: {
    readGhost(): GhostTextReading | null;
    readLines(): string[];
    readStatusBarItem(id: string): StatusBarItem | undefined;
    startTimer(): void;
    takeTimeline(): GhostTimeline;
  };
}

/** One VS Code window (a browser page on code-server), driven as a user would. */
export class Workbench {
  private constructor(readonly page: Page) {}

  /** Opens `url` in `page` with the page-side readers installed. */
  static async open(page: Page, url: string): Promise<Workbench> {
    await page.addInitScript({ path: IN_PAGE_SCRIPT });
    await page.goto(url);
    const workbench = new Workbench(page);
    await workbench.ready();
    return workbench;
  }

  /** Waits for the workbench to have painted its status bar and editor area. */
  async ready(timeoutMs = 60_000): Promise<void> {
    await this.page.waitForSelector('#workbench\\.parts\\.statusbar .statusbar-item', { timeout: timeoutMs });
    await this.page.waitForSelector('.monaco-workbench .part.editor', { timeout: timeoutMs });
  }

  /** Opens a workspace file by name through Quick Open and waits until its editor has focus. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
    await this.page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 15_000 });
  }

  /**
   * Runs a command from the palette by its title, as "Category: Title" reads in the list
   * (e.g. `Switchyard: Run Gateway Benchmark`). Fails if no row has exactly that label.
   */
  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    await this.quickPickRow(label).waitFor({ state: 'visible', timeout: 15_000 });
    await this.quickPickRow(label).click();
  }

  /** The rows of the open QuickPick, as their `aria-label`s. */
  async quickPickLabels(): Promise<string[]> {
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 15_000 });
    return this.page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
  }

  /** A row of the open QuickPick: the one whose `aria-label` is exactly `label`, or the first whose text matches the pattern. */
  quickPickRow(label: string | RegExp) {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    if (typeof label === 'string') return rows.and(this.page.locator(`[aria-label="${label.replace(/"/g, '\\"')}"]`)).first();
    return rows.filter({ hasText: label }).first();
  }

  /** Clicks a QuickPick row (see `quickPickRow`) once it is shown. */
  async pick(label: string | RegExp): Promise<void> {
    const row = this.quickPickRow(label);
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await row.click();
  }

  /** The status bar entry whose element id ends with `id` (VS Code prefixes the extension id). */
  async statusBarItem(id: string): Promise<StatusBarItem | undefined> {
    return this.page.evaluate((wanted) => (window as unknown as PageProbes).__switchyardE2E.readStatusBarItem(wanted), id);
  }

  /** Waits until the status bar entry satisfies `accept`; the last reading is in the error. */
  async waitForStatusBarItem(id: string, accept: (item: StatusBarItem) => boolean, timeoutMs = 20_000): Promise<StatusBarItem> {
    const deadline = Date.now() + timeoutMs;
    let last: StatusBarItem | undefined;
    for (;;) {
      last = await this.statusBarItem(id);
      if (last && accept(last)) return last;
      if (Date.now() > deadline) throw new Error(`status bar item ${id} did not reach the expected state within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
      await this.page.waitForTimeout(100);
    }
  }

  async ghostText(): Promise<GhostTextReading | null> {
    return this.page.evaluate(() => (window as unknown as PageProbes).__switchyardE2E.readGhost());
  }

  /** Waits for ghost text on the caret's line (optionally a particular one); returns it. */
  async waitForGhostText(accept: (reading: GhostTextReading) => boolean = (r) => r.inline.trim().length > 0, timeoutMs = 15_000): Promise<GhostTextReading> {
    const deadline = Date.now() + timeoutMs;
    let last: GhostTextReading | null = null;
    for (;;) {
      last = await this.ghostText();
      if (last && accept(last)) return last;
      if (Date.now() > deadline) throw new Error(`no ghost text within ${timeoutMs} ms; caret line: ${JSON.stringify(last)}`);
      await this.page.waitForTimeout(50);
    }
  }

  /**
   * Types `text` at the caret and waits for ghost text that `accept` takes. When none comes for
   * `retypeAfterMs` (the first completion after a cold start can miss the daemon's deadline on
   * a loaded machine, and VS Code asks again only on the next edit), it does what a user
   * would: deletes the last character and types it again.
   */
  async typeForGhostText(
    text: string,
    accept: (reading: GhostTextReading) => boolean,
    options: { timeoutMs?: number; retypeAfterMs?: number; delayMs?: number } = {},
  ): Promise<{ reading: GhostTextReading; retyped: number }> {
    const { timeoutMs = 15_000, retypeAfterMs = 3_000, delayMs = 30 } = options;
    await this.page.keyboard.type(text, { delay: delayMs });
    const deadline = Date.now() + timeoutMs;
    for (let retyped = 0; ; retyped++) {
      try {
        return { reading: await this.waitForGhostText(accept, Math.min(retypeAfterMs, Math.max(0, deadline - Date.now()))), retyped };
      } catch (error) {
        if (Date.now() >= deadline || text === '') throw error;
        await this.page.keyboard.press('Backspace');
        await this.page.keyboard.type(text[text.length - 1]!, { delay: delayMs });
      }
    }
  }

  /** The focused editor's visible lines, top to bottom, without ghost text. */
  async editorLines(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as PageProbes).__switchyardE2E.readLines());
  }

  /** Starts recording keystrokes and ghost-text changes in the focused editor (restarts if running). */
  async startGhostTimer(): Promise<void> {
    await this.page.evaluate(() => (window as unknown as PageProbes).__switchyardE2E.startTimer());
  }

  /** What the timer recorded since it started or was last taken (and forgets it). */
  async takeGhostTimeline(): Promise<GhostTimeline> {
    return this.page.evaluate(() => (window as unknown as PageProbes).__switchyardE2E.takeTimeline());
  }

  /** Puts the caret at the end of the document (Ctrl+End). */
  async caretToEnd(): Promise<void> {
    await this.page.keyboard.press('Control+End');
  }

  /**
   * The content frame of the webview that shows `selector` (a webview is two nested iframes,
   * and a panel being replaced may linger in the DOM, so the frame is found by what it shows).
   */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame() || frame.isDetached()) continue;
        const shows = await frame.locator(selector).count().catch(() => 0);
        if (shows > 0) return frame;
      }
      if (Date.now() > deadline) throw new Error(`no webview showed ${selector} within ${timeoutMs} ms`);
      await this.page.waitForTimeout(200);
    }
  }

  /** Texts of the notification toasts currently shown. */
  async notifications(): Promise<string[]> {
    return this.page.$$eval('.notification-toast .notification-list-item-message', (items) => items.map((item) => (item.textContent ?? '').trim()));
  }
}
