import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator } from '../../bench/sim/index';
import type { Simulator } from '../../bench/sim/contract';
import { EditorSession } from './harness/editor-session';
import { generations, promptText, replyText } from './harness/simulator-records';
import type { Workbench } from './harness/workbench';

// Ghost text, Tab, the provider switcher and cancellation, in one VS Code with the packaged
// extension, against two simulated Ollama servers that serve the same FIM-capable model.
const MODEL = 'qwen2.5-coder:1.5b';
const STATUS = 'switchyard.status';
const FILES = {
  'cart.js': '// Totals for the checkout page.\nfunction add(a, b) {\n  return a + b;\n}\n\n',
  'geometry.py': 'import math\n\n\ndef circle_area(radius):\n    return math.pi * radius ** 2\n\n\n',
  'notes.txt': 'Shopping list for the week\n\n',
};

let simA: Simulator;
let simB: Simulator;
let session: EditorSession;
let window: Workbench;

before(async () => {
  simA = await startSimulator({ ttftMs: 5, latencyMs: 5, outputTokens: 6, models: [MODEL], seed: 11 });
  simB = await startSimulator({ ttftMs: 5, latencyMs: 5, outputTokens: 6, models: [MODEL], seed: 22 });
  const provider = (name: string, sim: Simulator) => `[[providers]]\nname = "${name}"\nkind = "ollama"\nbase_url = "${sim.url}"\n`;
  session = await EditorSession.start({ name: 'completions', files: FILES, daemonConfig: `${provider('sim-a', simA)}\n${provider('sim-b', simB)}` });
  window = await session.openWindow();
  // Connected: the daemon has pushed its status with the route in force.
  await window.waitForStatusBarItem(STATUS, (item) => item.text.includes('sim-a'), 30_000);
});

after(async () => {
  await session?.close();
  await simA?.close();
  await simB?.close();
});

/** Types `text` at the end of `file` and waits for ghost text served by `sim`; returns it and the request that produced it. */
async function typeForGhostText(file: string, text: string, sim: Simulator) {
  await window.openFile(file);
  await window.caretToEnd();
  const since = sim.requests.length;
  const lastLine = text.split('\n').pop()!;
  const { reading } = await window.typeForGhostText(text, (r) => r.inline.trim().length > 0 && r.lineText.endsWith(lastLine));
  const asked = generations(sim, since);
  assert.ok(asked.length > 0, `the simulator received no generation request while typing in ${file}`);
  const served = asked[asked.length - 1];
  assert.ok(promptText(served).includes(lastLine), `the last request does not carry what was typed (${JSON.stringify(lastLine)}): ${promptText(served).slice(-300)}`);
  return { reading, served };
}

async function assertGhostFromSimulatorThenTab(file: string, text: string): Promise<void> {
  const { reading, served } = await typeForGhostText(file, text, simA);
  const reply = await replyText(simA, served);
  const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
  assert.ok(squash(reply).includes(squash(reading.inline)), `ghost text ${JSON.stringify(reading.inline)} is not from the simulator's reply ${JSON.stringify(reply)}`);

  const expectedLine = reading.lineText + reading.inline;
  await window.page.keyboard.press('Tab');
  const lines = await waitForLines((all) => all.includes(expectedLine));
  assert.ok(lines.includes(expectedLine), `after Tab the document should have ${JSON.stringify(expectedLine)}; lines: ${JSON.stringify(lines)}`);
}

async function waitForLines(accept: (lines: string[]) => boolean, timeoutMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let lines = await window.editorLines();
  while (!accept(lines) && Date.now() < deadline) {
    await sleep(50);
    lines = await window.editorLines();
  }
  return lines;
}

test('typing in a JavaScript file shows ghost text from the simulated model, and Tab accepts it', () => session.run('ghost-js', async () => {
  await assertGhostFromSimulatorThenTab('cart.js', 'const total = ');
}));

test('typing in a Python file shows ghost text from the simulated model, and Tab accepts it', () => session.run('ghost-python', async () => {
  await assertGhostFromSimulatorThenTab('geometry.py', 'def circle_perimeter(radius):\n');
}));

test('the status bar shows the local provider; switching it in the QuickPick moves the next completion to the other simulator', () => session.run('switch-provider', async () => {
  const before = await window.waitForStatusBarItem(STATUS, (item) => item.text.includes('sim-a'));
  assert.match(before.text, new RegExp(`sim-a · ${MODEL.replace(/[.]/g, '\\.')}`));
  assert.ok(before.icons.includes('vm') && !before.icons.includes('cloud'), `a local provider shows the local icon, not the cloud one: ${JSON.stringify(before.icons)}`);

  await window.runCommand('Switchyard: Switch Completion Model…');
  const rows = await window.quickPickLabels();
  assert.ok(rows.some((row) => row.includes('sim-b')), `the switcher lists sim-b: ${JSON.stringify(rows)}`);
  await window.pick(/sim-b/);
  await window.waitForStatusBarItem(STATUS, (item) => item.text.includes('sim-b'));

  const sinceA = simA.requests.length;
  const { served } = await typeForGhostText('notes.txt', '- apples and ', simB);
  assert.equal(served.model?.replace(/:latest$/, ''), MODEL);
  assert.equal(generations(simA, sinceA).length, 0, 'after the switch, sim-a received no completion request');

  const settings = JSON.parse(readFileSync(join(session.server.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(settings['switchyard.completion.route'], `sim-b/${MODEL}`, 'the choice persists in the user settings');
}));

test('the status bar shows the last completion\'s latency, and marks one the cache served', () => session.run('status-latency', async () => {
  await window.openFile('notes.txt');
  await window.caretToEnd();
  await window.page.keyboard.press('Enter');
  const { reading: first } = await window.typeForGhostText('- pears and ', (r) => r.lineText.endsWith('pears and ') && r.inline.trim().length > 0);
  const fresh = await window.waitForStatusBarItem(STATUS, (item) => /\d ?(ms|µs|s)$/.test(item.text));
  assert.ok(!fresh.icons.includes('database'), `a completion from the model is not marked cached: ${fresh.text} ${JSON.stringify(fresh.icons)}`);

  // Away from that place and back: the daemon has the answer for it already.
  const letter = first.inline.startsWith('q') ? 'z' : 'q';
  await window.page.keyboard.type(letter, { delay: 30 });
  await window.waitForGhostText((r) => r.lineText.endsWith(`pears and ${letter}`) && r.inline.trim().length > 0);
  await window.page.keyboard.press('Backspace');
  await window.waitForGhostText((r) => r.lineText.endsWith('pears and ') && r.inline === first.inline);
  const cached = await window.waitForStatusBarItem(STATUS, (item) => item.icons.includes('database'));
  assert.match(cached.text, /\d ?(ms|µs|s)$/, 'the cached completion\'s latency is shown too');
}));

test('ten quick keystrokes let at most one stale request run at the simulator', () => session.run('stale-requests', async () => {
  // Each answer takes longer than the gap between keystrokes (but less than the completion
  // deadline), so every keystroke lands while an earlier request is in flight.
  for (const sim of [simA, simB]) sim.configure({ ttftMs: 800, latencyMs: 800 });
  try {
    await window.openFile('notes.txt');
    await window.caretToEnd();
    await window.page.keyboard.press('Enter');
    await sleep(1_000);
    for (const sim of [simA, simB]) sim.reset();
    const typed = 'bananas ok';
    // A brisk typist: slower than the debounce, so requests do go out, and much faster than the model.
    await window.page.keyboard.type(typed, { delay: 250 });
    await window.waitForGhostText((r) => r.lineText.endsWith(typed) && r.inline.trim().length > 0, 15_000);
    await sleep(1_000);
    // Whichever simulator the route points at (the switch test may have moved it), together.
    const asked = [...generations(simA), ...generations(simB)];
    // Requests did go out while typing (else there would be nothing to cancel, and nothing tested).
    assert.ok(asked.length >= 3, `requests reached the simulator while typing (${asked.length})`);
    const final = asked.filter((record) => promptText(record).includes(typed));
    const stale = asked.filter((record) => !promptText(record).includes(typed));
    const staleThatRan = stale.filter((record) => record.abortedAt === undefined);
    assert.ok(final.some((record) => record.abortedAt === undefined && record.finishedAt !== undefined), 'the request for the final text ran to the end');
    assert.ok(staleThatRan.length <= 1, `at most one stale request ran to the end; ${staleThatRan.length} did (of ${stale.length} stale: ${stale.map((r) => (r.abortedAt ? 'aborted' : 'finished')).join(', ')})`);
    const peak = Math.max(simA.stats().peakGenerating, simB.stats().peakGenerating);
    assert.ok(peak <= 2, `at most the final request and one stale one generated at once (peak ${peak})`);
  } finally {
    for (const sim of [simA, simB]) sim.configure({ ttftMs: 5, latencyMs: 5 });
  }
}));
