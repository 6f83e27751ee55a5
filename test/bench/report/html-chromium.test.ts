/**
 * Opens HTML reports in headless Chromium and checks that every chart the report calls for
 * is drawn. Screenshots land in test-artifacts/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { diffReports } from '../../../shared/report/baseline-diff';
import { summarizeRepeats } from '../../../bench/baseline/repeats';
import { renderHtmlReport } from '../../../bench/report/html-report';
import type { BenchReport } from '../../../shared/report/schema';
import { bench, tempDir, withSimulator } from '../bench-test-helpers';
import { ARTIFACTS, launchChromium, recordOffMachineRequests, skipWithoutChromium } from '../../helpers/headless-chromium';


test('the HTML report shows every chart in headless Chromium', { skip: skipWithoutChromium }, async () => {
  const reports: Record<string, { report: BenchReport; charts: string[] }> = {};
  await withSimulator({ latencyMs: 2, capacity: 16 }, async (sim) => {
    sim.recording = false;
    const sweep = await bench(['--scenario', 'sweep', '--target', sim.url, '--concurrencies', '1,4,16,32', '--requests', '120']);
    reports.sweep = { report: sweep, charts: ['percentiles', 'sweep', 'histogram-0', 'timeline-0'] };
    const mix = await bench(['--scenario', 'mix', '--target', sim.url, '--requests', '300', '--stream']);
    reports.mix = { report: mix, charts: ['percentiles', 'ttft', 'itl', 'models-0', 'models-latency-0', 'histogram-0', 'timeline-0'] };
    const overhead = await bench(['--scenario', 'overhead', '--target', sim.url, '--direct', sim.url, '--requests', '600', '--concurrency', '8', '--rounds', '2']);
    reports.overhead = { report: overhead, charts: ['percentiles', 'overhead', 'histogram-0', 'timeline-2'] };
    const compare = await bench(['--scenario', 'compare', '--target', sim.url, '--models', 'sim-chat,sim-coder', '--requests', '150']);
    reports.compare = { report: compare, charts: ['percentiles', 'compare'] };
    const a = await bench(['--scenario', 'blast', '--target', sim.url, '--requests', '200', '--repeat', '2']);
    const b = await bench(['--scenario', 'blast', '--target', sim.url, '--requests', '200', '--repeat', '2']);
    reports.baseline = { report: { ...b, baselineDiff: diffReports(a, b, 'a', 'b') }, charts: ['percentiles', 'baseline'] };
    assert.ok(a.repeats && summarizeRepeats([a, b]).count === 2);
  });

  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = tempDir();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests = recordOffMachineRequests(page);
    for (const [kind, { report, charts }] of Object.entries(reports)) {
      const file = join(dir, `${kind}.html`);
      writeFileSync(file, renderHtmlReport(report));
      await page.goto(`file://${file}`);
      const drawn = await page.$$eval('figure[data-chart-id]', (figures) =>
        figures.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return { id: f.getAttribute('data-chart-id')!, shapes: svg ? svg.querySelectorAll('rect,path,circle,line').length : 0, width: box?.width ?? 0, height: box?.height ?? 0 };
        }),
      );
      for (const id of charts) {
        const chart = drawn.find((d) => d.id === id);
        assert.ok(chart, `${kind}: chart ${id} present (have ${drawn.map((d) => d.id).join(', ')})`);
        assert.ok(chart.shapes > 5 && chart.width > 200 && chart.height > 100, `${kind}: chart ${id} drawn (${JSON.stringify(chart)})`);
      }
      // innerText is what a reader sees: it leaves out the embedded report JSON, whose base64
      // HDR histograms can spell "NaN" by chance (CI once failed on "…jNaNRq…").
      const text = await page.innerText('body');
      const broken = /.{0,80}(?:NaN|undefined).{0,40}/.exec(text);
      assert.equal(broken, null, `${kind}: no NaN or undefined on the page, found in: ${broken?.[0]}`);
      await page.screenshot({ path: join(ARTIFACTS, `bench-report-${kind}.png`), fullPage: true });
    }
    assert.deepEqual(requests, [], 'the report fetches nothing');
  } finally {
    await browser.close();
  }
});
