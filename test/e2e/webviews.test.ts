import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSimulator } from '../../bench/sim/index';
import type { Simulator } from '../../bench/sim/contract';
import { ARTIFACTS_DIR, EditorSession } from './harness/editor-session';
import { generations } from './harness/simulator-records';
import type { Workbench } from './harness/workbench';

// The webviews: "Run Gateway Benchmark" with the quick preset, against a simulated provider,
// ends in the report (percentile table and charts, drawn by the same code as the HTML report);
// "Show Model Recommendations" shows the models that fit this machine.
const MODEL = 'qwen2.5-coder:1.5b';

let sim: Simulator;
let session: EditorSession;
let window: Workbench;
const consoleErrors: string[] = [];

before(async () => {
  sim = await startSimulator({ ttftMs: 5, latencyMs: 5, models: [MODEL] });
  session = await EditorSession.start({
    name: 'benchmark',
    files: { 'notes.txt': 'hello\n' },
    daemonConfig: `[[providers]]\nname = "sim"\nkind = "ollama"\nbase_url = "${sim.url}"\n`,
  });
  window = await session.openWindow();
  window.page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await window.waitForStatusBarItem('switchyard.status', (item) => item.text.includes('sim'), 30_000);
});

after(async () => {
  await session?.close();
  await sim?.close();
});

test('Run Gateway Benchmark with the quick preset opens a webview with the percentile table and charts', () => session.run('benchmark', async () => {
  const since = sim.requests.length;
  await window.runCommand('Switchyard: Run Gateway Benchmark');
  await window.pick(/Quick sanity check/);
  await window.pick(/completion route in force/);
  await window.page.locator('.notification-toast', { hasText: 'Switchyard benchmark' }).first().waitFor({ timeout: 15_000 });

  const report = await window.webviewFrame('h2:has-text("Percentiles")', 120_000);
  const table = report.locator('h2:has-text("Percentiles") ~ table').first();
  const headers = (await table.locator('th').allTextContents()).map((h) => h.trim());
  assert.ok(headers.some((h) => /p50/i.test(h)) && headers.some((h) => /p99/i.test(h)), `percentile columns: ${JSON.stringify(headers)}`);
  const firstRow = (await table.locator('tbody tr, tr:has(td)').first().locator('td').allTextContents()).map((c) => c.trim());
  assert.ok(firstRow.filter((cell) => /\d/.test(cell)).length >= 3, `the table has figures: ${JSON.stringify(firstRow)}`);
  const charts = await report.locator('figure svg').count();
  assert.ok(charts >= 1, `the report draws charts (${charts})`);
  const buttons = await report.locator('vscode-button').allTextContents();
  assert.deepEqual(buttons.map((b) => b.trim()), ['Save JSON', 'Save HTML', 'Set as baseline', 'Run again']);

  // A strict page: a CSP with a nonce, nothing loaded from the network.
  const csp = await report.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp ?? '', /default-src 'none'/);
  assert.match(csp ?? '', /nonce-/);
  const external = await report.evaluate(() => Array.from(document.querySelectorAll('[src],[href]'))
    .map((element) => element.getAttribute('src') ?? element.getAttribute('href') ?? '')
    .filter((url) => /^https?:/.test(url) && !/^https?:\/\/[^/]*\.vscode-(cdn|resource)/.test(url)));
  assert.deepEqual(external, [], 'nothing is loaded from the network');
  assert.deepEqual(consoleErrors.filter((text) => /Content Security Policy|Refused to/.test(text)), [], 'no CSP violation');

  // The load really went through the gateway to the provider.
  assert.ok(generations(sim, since).length >= 10, `the benchmark's requests reached the simulator (${generations(sim, since).length})`);

  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await window.page.screenshot({ path: join(ARTIFACTS_DIR, 'benchmark-webview.png') });
}));

test('Show Model Recommendations opens a webview with the picks for this machine and the ranked models', () => session.run('recommendations', async () => {
  await window.runCommand('Switchyard: Show Model Recommendations');
  const page = await window.webviewFrame('h1:has-text("Models for this machine")', 30_000);
  const picks = await page.locator('article.pick h2').allTextContents();
  assert.ok(picks.length >= 2, `a pick for completion and one for chat: ${JSON.stringify(picks)}`);
  const ranked = await page.locator('table.models tbody tr').count();
  assert.ok(ranked >= 3, `the ranked table lists models (${ranked})`);
  const hardware = await page.locator('section.hardware').textContent();
  assert.match(hardware ?? '', /memory|RAM|CPU/i, 'the machine\'s hardware is shown');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp ?? '', /nonce-/);
  assert.deepEqual(consoleErrors.filter((text) => /Content Security Policy|Refused to/.test(text)), [], 'no CSP violation');
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await window.page.screenshot({ path: join(ARTIFACTS_DIR, 'recommendations-webview.png') });
}));
