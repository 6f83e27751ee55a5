/**
 * The report webview page, rendered from a real benchmark report: its CSP, its sections,
 * and (in headless Chromium, under that CSP) that the charts draw, the buttons become
 * vscode-elements buttons and post their action, and nothing is fetched from the network.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { diffReports } from '../../../shared/report/baseline-diff';
import type { BenchReport } from '../../../shared/report/schema';
import { REPORT_ACTIONS, renderReportPage } from '../../../extension/webview/report-page';
import { makeNonce, webviewCsp } from '../../../extension/webview/webview-csp';
import { bench, tempDir, withSimulator } from '../../bench/bench-test-helpers';
import { ARTIFACTS, fakeVsCodeApi, launchChromium, recordOffMachineRequests, skipWithoutChromium } from '../../helpers/headless-chromium';

const ROOT = resolve(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');

let cached: Promise<BenchReport> | undefined;
function realReport(): Promise<BenchReport> {
  cached ??= withSimulator({ latencyMs: 2 }, async (sim) => {
    sim.recording = false;
    const first = await bench(['--scenario', 'blast', '--target', sim.url, '--requests', '200', '--concurrency', '4']);
    const second = await bench(['--scenario', 'blast', '--target', sim.url, '--requests', '200', '--concurrency', '4']);
    return { ...second, baselineDiff: diffReports(first, second, 'the first run', 'this run') };
  });
  return cached;
}

test('the CSP allows nothing from the network and scripts only with the nonce', () => {
  const nonce = makeNonce();
  assert.notEqual(nonce, makeNonce());
  const csp = webviewCsp('https://file+.vscode-resource.vscode-cdn.net', nonce);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
  assert.match(csp, /connect-src 'none'/);
  assert.ok(!csp.includes("'unsafe-inline'") && !csp.includes("'unsafe-eval'") && !csp.includes('*'));
});

test('the webview page carries the percentile table, the baseline comparison, every chart and the buttons', async () => {
  const report = await realReport();
  const nonce = makeNonce();
  const html = renderReportPage(report, { kind: 'webview', nonce, cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/dist/webview-report.js', codiconCssUri: 'vscode-resource:/dist/codicons/codicon.css' });
  assert.match(html, /<meta http-equiv="Content-Security-Policy"/);
  assert.match(html, new RegExp(`<script nonce="${nonce}" src="vscode-resource:/dist/webview-report.js">`));
  assert.match(html, /<table data-table="percentiles">/);
  assert.match(html, /<table data-table="baseline">/);
  assert.match(html, /data-chart-id="percentiles"/);
  assert.match(html, /data-chart-id="baseline"/);
  for (const { action } of REPORT_ACTIONS) assert.match(html, new RegExp(`data-action="${action}"`));
  // Every script and style element carries the nonce; nothing points off the machine.
  assert.equal((html.match(/<script(?![^>]*nonce=)/g) ?? []).length, 0);
  assert.equal((html.match(/<style(?![^>]*nonce=)/g) ?? []).length, 0);
  assert.ok(!/(src|href)="https?:/.test(html), 'nothing loads from the network');
  assert.ok(!/NaN|undefined/.test(html));
});

test('the saved HTML page stands alone: no script, no buttons, the same tables and charts', async () => {
  const html = renderReportPage(await realReport(), { kind: 'standalone' });
  assert.ok(!html.includes('<script'));
  assert.ok(!html.includes('data-action='));
  assert.match(html, /<table data-table="percentiles">/);
  assert.match(html, /data-chart-id="percentiles"/);
});

test('in Chromium under its CSP the page draws its charts, upgrades its buttons and posts their actions', { skip: skipWithoutChromium || (!existsSync(join(DIST, 'webview-report.js')) && 'needs a build (npm run build)') }, async () => {
  const report = await realReport();
  const dir = tempDir();
  const nonce = makeNonce();
  const file = join(dir, 'report.html');
  writeFileSync(
    file,
    renderReportPage(report, {
      kind: 'webview',
      nonce,
      cspSource: 'file:',
      scriptUri: pathToFileURL(join(DIST, 'webview-report.js')).href,
      codiconCssUri: pathToFileURL(join(DIST, 'codicons', 'codicon.css')).href,
    }),
  );
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const offMachine = recordOffMachineRequests(page);
    await fakeVsCodeApi(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => customElements.get('vscode-button') !== undefined, undefined, { timeout: 10_000 });
    const charts = await page.$$eval('figure[data-chart-id] svg', (svgs) => svgs.map((s) => s.getBoundingClientRect().width));
    assert.ok(charts.length >= 3 && charts.every((w) => w > 200), `charts drawn: ${charts.join(', ')}`);
    await page.click('vscode-button[data-action="setBaseline"]');
    await page.click('vscode-button[data-action="saveJson"]');
    const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
    assert.deepEqual(posted, [{ action: 'setBaseline' }, { action: 'saveJson' }], 'no CSP violation, two actions');
    assert.deepEqual(offMachine, []);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'extension-report-webview.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
