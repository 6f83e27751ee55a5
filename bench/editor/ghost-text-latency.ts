/**
 * Keystroke-to-ghost-text latency in a real VS Code (code-server 4.100.3 with the packaged
 * extension, headless Chromium), against the 5 ms simulated provider. Three figures, each
 * over many single keystrokes typed into a Python file after a warm-up:
 * - miss: a character no suggestion starts with, so the daemon asks the model again;
 * - hit: Backspace and the same character again, so the daemon answers from its cache;
 * - type-through: the next character of the suggestion shown; the ghost text must stay and
 *   no request may reach the model.
 * Times come from the page: the keydown event's timestamp, and a MutationObserver that sees
 * the ghost text change. VS Code itself debounces inline completions by 50 ms.
 *
 *   npm run build && node --import tsx bench/editor/ghost-text-latency.ts [--keystrokes 60]
 *
 * Prints a table and writes the figures (and the raw samples) to
 * .bench-results/editor-ghost-text-latency.json. Not a test: nothing is asserted.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs, promisify } from 'node:util';
import { startSimulator } from '../sim/index';
import type { Simulator } from '../sim/contract';
import { createHistogram, recordMicros } from '../metrics/hdr';
import { summarize } from '../metrics/distribution';
import { median } from '../metrics/median';
import type { LatencySummary } from '../../shared/report/schema';
import { EditorSession } from '../../test/e2e/harness/editor-session';
import { pressAndTime, type TimedKeystroke } from '../../test/e2e/harness/keystroke-latency';
import { generations } from '../../test/e2e/harness/simulator-records';
import type { Workbench } from '../../test/e2e/harness/workbench';
import { extensionVsix } from '../../test/e2e/harness/extension-vsix';

const MODEL = 'qwen2.5-coder:1.5b';
const REPO_ROOT = join(__dirname, '..', '..');
/** Letters to type for misses; each keystroke takes one that the suggestion shown does not start with. */
const LETTERS = 'qzjxkvwyfgbmhpdcultnrsoaie';

const { values } = parseArgs({ options: { keystrokes: { type: 'string', default: '60' }, out: { type: 'string' } } });
const keystrokes = Math.max(10, Number(values.keystrokes));
const outFile = values.out ?? join(REPO_ROOT, '.bench-results', 'editor-ghost-text-latency.json');

interface Figure {
  name: string;
  samples: number[];
  summary: LatencySummary;
  /** Requests the keystrokes sent to the model. */
  modelRequests: number;
  /** Keystrokes after which the caret line showed no ghost text for a moment. */
  ghostVanished: number;
  /** Typing through: keystrokes after which the suggestion was not the rest of the one typed into. */
  suggestionChanged?: number;
}

function figure(name: string, timed: TimedKeystroke[], modelRequests: number): Figure {
  const histogram = createHistogram();
  for (const t of timed) recordMicros(histogram, t.latencyMs);
  return { name, samples: timed.map((t) => Math.round(t.latencyMs * 10) / 10), summary: summarize(histogram), modelRequests, ghostVanished: timed.filter((t) => t.ghostVanished).length };
}

const hasGhost = (inline: string) => inline.trim().length > 0;

/** A letter that the ghost text shown does not start with: typing it cannot be a type-through. */
function missLetter(ghost: string, n: number): string {
  for (let i = 0; i < LETTERS.length; i++) {
    const letter = LETTERS[(n + i) % LETTERS.length]!;
    if (!ghost.startsWith(letter)) return letter;
  }
  return 'q';
}

/** Starts a new line with `prefix` and waits for its suggestion (not timed). */
async function newLine(window: Workbench, prefix: string): Promise<string> {
  await window.page.keyboard.press('Enter');
  const { reading } = await window.typeForGhostText(prefix, (r) => hasGhost(r.inline) && r.lineText.endsWith(prefix));
  return reading.inline;
}

async function measureMisses(window: Workbench, sim: Simulator, count: number): Promise<Figure> {
  const timed: TimedKeystroke[] = [];
  const before = generations(sim).length;
  let ghost = await newLine(window, 'value = ');
  for (let n = 0; timed.length < count; n++) {
    // A fresh line every dozen letters keeps the line short, as in real code.
    if (n > 0 && n % 12 === 0) ghost = await newLine(window, `item_${n} = `);
    const letter = missLetter(ghost, n);
    const result = await pressAndTime(window, letter, (inline) => hasGhost(inline));
    timed.push(result);
    ghost = result.inline;
    await window.page.waitForTimeout(60);
  }
  return figure('cache miss (5 ms simulator)', timed, generations(sim).length - before);
}

async function measureHits(window: Workbench, sim: Simulator, count: number): Promise<Figure> {
  const ghostBefore = await newLine(window, 'total = ');
  const letter = missLetter(ghostBefore, 3);
  // Both places, with and without the letter, are asked once (and cached) before timing.
  const typed = await pressAndTime(window, letter, (inline) => hasGhost(inline));
  await pressAndTime(window, 'Backspace', (inline) => inline === ghostBefore);
  const before = generations(sim).length;
  const timed: TimedKeystroke[] = [];
  while (timed.length < count) {
    timed.push(await pressAndTime(window, letter, (inline) => inline === typed.inline));
    await window.page.waitForTimeout(60);
    timed.push(await pressAndTime(window, 'Backspace', (inline) => inline === ghostBefore));
    await window.page.waitForTimeout(60);
  }
  return figure('cache hit', timed.slice(0, count), generations(sim).length - before);
}

async function measureTypeThrough(window: Workbench, sim: Simulator, count: number): Promise<Figure> {
  const timed: TimedKeystroke[] = [];
  let requests = 0;
  let changed = 0;
  for (let line = 0; timed.length < count; line++) {
    let ghost = await newLine(window, `name_${line} = `);
    const before = generations(sim).length;
    // Type the suggestion's characters one by one, leaving its last few untyped.
    while (ghost.length > 3 && timed.length < count) {
      const next = ghost[0]!;
      const rest = ghost.slice(1);
      // The suggestion shrinking by the typed character is what should happen; any other new
      // suggestion ends the wait too, and counts as changed.
      const result = await pressAndTime(window, next, (inline) => hasGhost(inline) && inline !== ghost);
      timed.push(result);
      if (result.inline !== rest) changed++;
      ghost = result.inline;
      await window.page.waitForTimeout(60);
    }
    requests += generations(sim).length - before;
  }
  return { ...figure('typing through a suggestion', timed, requests), suggestionChanged: changed };
}

/**
 * The daemon alone: from spawning `dist/daemon.js` (as the extension does, with this Node) to
 * its ready line, on a fresh state dir each time; the median of `runs`.
 */
async function daemonReadyMs(runs: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-daemon-start-'));
    const config = join(dir, 'switchyard.toml');
    writeFileSync(config, '[server]\nport = 0\n\n[discovery]\nlocal = false\ncloud_from_env = false\n');
    const started = performance.now();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'daemon.js'), '--state-dir', join(dir, 'state'), '--config', config], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (line.includes('"ready":true')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the daemon exited with ${code} before it was ready`)));
      });
      times.push(performance.now() - started);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return median(times);
}

/** From the extension's log: from starting the daemon to finding it ready and connecting. */
function daemonStartMs(log: string): number | undefined {
  const at = (pattern: RegExp) => {
    const line = log.split('\n').find((l) => pattern.test(l));
    return line ? Date.parse(line.slice(0, 23).replace(' ', 'T')) : undefined;
  };
  const started = at(/starting the daemon/);
  const connected = at(/connect(ed|ing) to daemon/);
  return started !== undefined && connected !== undefined ? connected - started : undefined;
}

async function main(): Promise<void> {
  const vsix = await extensionVsix();
  const sim = await startSimulator({ ttftMs: 5, latencyMs: 5, outputTokens: 10, models: [MODEL] });
  const session = await EditorSession.start({
    name: 'latency',
    files: { 'shop.py': 'import math\n\n\ndef basket_total(prices):\n    return sum(prices)\n\n' },
    daemonConfig: `[[providers]]\nname = "sim"\nkind = "ollama"\nbase_url = "${sim.url}"\n`,
    // Debug logs cost the daemon time per completion; a user runs at info.
    daemonLogLevel: 'info',
  });
  try {
    await session.run('latency', () => measure(session, sim, vsix));
  } finally {
    await session.close();
    await sim.close();
  }
}

async function measure(session: EditorSession, sim: Simulator, vsix: string): Promise<void> {
  const window = await session.openWindow();
  await window.waitForStatusBarItem('switchyard.status', (item) => item.text.includes('sim'), 30_000);
  await window.openFile('shop.py');
  await window.caretToEnd();
  await window.startGhostTimer();
  // Warm-up: the first keystrokes after start run cold code everywhere (JIT, first requests).
  await measureMisses(window, sim, 15);
  const loadBefore = loadavg()[0];
  const misses = await measureMisses(window, sim, keystrokes);
  const hits = await measureHits(window, sim, keystrokes);
  const through = await measureTypeThrough(window, sim, keystrokes);
  const figures = [misses, hits, through];
  const extensionLog = session.diagnostics();
  const result = {
    when: new Date().toISOString(),
    command: `node --import tsx bench/editor/ghost-text-latency.ts --keystrokes ${keystrokes}`,
    editor: 'code-server 4.100.3 (VS Code 1.100.3), headless Chromium',
    file: 'Python',
    simulator: '5 ms to the first token, 10 words',
    loadAverage: { before: loadBefore, after: loadavg()[0], cpus: (await promisify(execFile)('nproc')).stdout.trim() },
    vsixBytes: statSync(vsix).size,
    daemonStartToConnectedMs: daemonStartMs(extensionLog),
    daemonReadyMedianMs: Math.round(await daemonReadyMs(5)),
    figures,
  };
  mkdirSync(join(outFile, '..'), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`keystroke to ghost text (page clock), ${keystrokes} keystrokes each; load average ${loadBefore.toFixed(1)} on ${result.loadAverage.cpus} CPUs`);
  console.log('figure                          p50 ms   p95 ms   max ms   model requests   ghost vanished');
  for (const f of figures) {
    console.log(`${f.name.padEnd(30)} ${f.summary.p50Ms.toFixed(1).padStart(7)} ${f.summary.p95Ms.toFixed(1).padStart(8)} ${f.summary.maxMs.toFixed(1).padStart(8)} ${String(f.modelRequests).padStart(16)} ${String(f.ghostVanished).padStart(16)}`);
  }
  console.log(`.vsix ${(result.vsixBytes / 1024 / 1024).toFixed(2)} MiB; the extension started the daemon and found it ready in ${result.daemonStartToConnectedMs ?? '?'} ms; the daemon alone is ready in ${result.daemonReadyMedianMs} ms (median of 5)`);
  console.log(`written to ${outFile}`);
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
