import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator } from '../../bench/sim/index';
import type { Simulator } from '../../bench/sim/contract';
import { daemonPidsFor } from './harness/daemon-processes';
import { EditorSession } from './harness/editor-session';
import { generations } from './harness/simulator-records';
import type { Workbench } from './harness/workbench';

// One daemon per user: two windows share it, and when it dies the extension starts another
// and completions carry on without a reload.
const MODEL = 'qwen2.5-coder:1.5b';
const STATUS = 'switchyard.status';

let sim: Simulator;
let session: EditorSession;
let first: Workbench;

before(async () => {
  sim = await startSimulator({ ttftMs: 5, latencyMs: 5, outputTokens: 6, models: [MODEL] });
  session = await EditorSession.start({
    name: 'daemon-sharing',
    files: { 'notes.txt': 'Things to pack for the trip\n\n' },
    daemonConfig: `[[providers]]\nname = "sim"\nkind = "ollama"\nbase_url = "${sim.url}"\n`,
  });
  first = await session.openWindow();
  await first.waitForStatusBarItem(STATUS, (item) => item.text.includes('sim'), 30_000);
});

after(async () => {
  await session?.close();
  await sim?.close();
});

/** The pid the status bar's tooltip names ("Daemon 0.1.0, pid N"). */
async function pidShownBy(window: Workbench): Promise<number> {
  const item = await window.waitForStatusBarItem(STATUS, (shown) => /pid \d+/.test(shown.ariaLabel), 20_000);
  return Number(/pid (\d+)/.exec(item.ariaLabel)![1]);
}

/** Types on a new last line of notes.txt and waits for ghost text; returns how long it took. */
async function typeUntilGhostText(window: Workbench, text: string, timeoutMs: number): Promise<number> {
  await window.openFile('notes.txt');
  await window.caretToEnd();
  await window.page.keyboard.press('Enter');
  const started = Date.now();
  // If the first request went to the dead daemon, a user types on: so does this.
  await window.typeForGhostText(text, (reading) => reading.inline.trim().length > 0, { timeoutMs, retypeAfterMs: 1_000 });
  return Date.now() - started;
}

test('two windows share one daemon: one state file, one pid', () => session.run('two-windows', async () => {
  const second = await session.openWindow();
  await second.waitForStatusBarItem(STATUS, (item) => item.text.includes('sim'), 30_000);
  const state = session.daemonState();
  assert.ok(state, 'the daemon wrote its state file');
  assert.equal(await pidShownBy(first), state.pid, 'the first window is connected to the daemon of the state file');
  assert.equal(await pidShownBy(second), state.pid, 'the second window is connected to the same daemon');
  assert.deepEqual(daemonPidsFor(session.stateDir), [state.pid], 'exactly one daemon process runs for this state dir');
  assert.deepEqual(readdirSync(session.stateDir).filter((name) => name.endsWith('.json')), ['daemon.json'], 'one state file');

  // Both windows complete through it.
  const since = sim.requests.length;
  await typeUntilGhostText(second, 'socks and ', 15_000);
  assert.ok(generations(sim, since).length > 0, 'the second window\'s completion reached the simulator');
  await second.page.close();
}));

test('after the daemon is killed, completions work again within a few seconds, without a reload', () => session.run('daemon-killed', async () => {
  const before = session.daemonState();
  assert.ok(before, 'a daemon is running');
  // A reload would lose this marker.
  await first.page.evaluate(() => ((window as unknown as { __beforeKill: boolean }).__beforeKill = true));

  process.kill(before.pid, 'SIGKILL');
  const tookMs = await typeUntilGhostText(first, 'a warm jacket ', 15_000);

  const afterState = session.daemonState();
  assert.ok(afterState && afterState.pid !== before.pid, `a new daemon runs (pid ${afterState?.pid}, was ${before.pid})`);
  assert.deepEqual(daemonPidsFor(session.stateDir), [afterState.pid], 'still exactly one daemon for this state dir');
  assert.ok(tookMs < 10_000, `ghost text came back ${tookMs} ms after the kill`);
  assert.equal(await first.page.evaluate(() => (window as unknown as { __beforeKill?: boolean }).__beforeKill), true, 'the window was not reloaded');
  assert.equal(await pidShownBy(first), afterState.pid, 'the status bar names the new daemon');
  await sleep(500);
  assert.deepEqual(await first.notifications(), [], 'a restart that works shows no notification');
}));
