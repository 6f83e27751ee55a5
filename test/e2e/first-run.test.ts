import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSimulator } from '../../bench/sim/index';
import type { Simulator } from '../../bench/sim/contract';
import { EditorSession } from './harness/editor-session';
import { generations } from './harness/simulator-records';
import type { Workbench } from './harness/workbench';
import { freePort } from '../helpers/free-port';

// The first run: the extension is installed before any model server runs. The status bar says
// so plainly; when a local server appears on the port the daemon looks at, completions start
// without a reload.
const MODEL = 'qwen2.5-coder:1.5b';
const STATUS = 'switchyard.status';

let port: number;
let sim: Simulator | undefined;
let session: EditorSession;
let window: Workbench;

before(async () => {
  port = await freePort();
  session = await EditorSession.start({
    name: 'first-run',
    files: { 'notes.txt': 'Ideas for the weekend\n\n' },
    localServers: [{ name: 'ollama', kind: 'ollama', baseUrl: `http://127.0.0.1:${port}` }],
    daemonConfig: '',
  });
  window = await session.openWindow();
});

after(async () => {
  await session?.close();
  await sim?.close();
});

test('with no model server, the status bar says no model is available, in no error colour', () => session.run('first-run-empty', async () => {
  const item = await window.waitForStatusBarItem(STATUS, (shown) => /no model/i.test(shown.text), 30_000);
  assert.ok(!item.classes.includes('error-kind') && !item.classes.includes('warning-kind'), `an expected state, not an error: ${JSON.stringify(item.classes)}`);
  assert.deepEqual(await window.notifications(), [], 'nothing pops up for an expected state');

  await window.openFile('notes.txt');
  await window.caretToEnd();
  await window.page.keyboard.type('a picnic by the ', { delay: 30 });
  await window.page.waitForTimeout(1_500);
  assert.equal((await window.ghostText())?.inline ?? '', '', 'completions stay quiet');
}));

test('when a local model server appears, completions start without a reload', () => session.run('first-run-appears', async () => {
  await window.page.evaluate(() => ((window as unknown as { __beforeServer: boolean }).__beforeServer = true));
  sim = await startSimulator({ port, ttftMs: 5, latencyMs: 5, outputTokens: 6, models: [MODEL] });

  await window.waitForStatusBarItem(STATUS, (shown) => shown.text.includes(MODEL), 20_000);
  await window.openFile('notes.txt');
  await window.caretToEnd();
  await window.page.keyboard.press('Enter');
  const since = sim.requests.length;
  await window.typeForGhostText('a walk along the ', (reading) => reading.lineText.endsWith('along the ') && reading.inline.trim().length > 0);
  assert.ok(generations(sim, since).length > 0, 'the completion came from the server that appeared');
  assert.equal(await window.page.evaluate(() => (window as unknown as { __beforeServer?: boolean }).__beforeServer), true, 'the window was not reloaded');
}));
