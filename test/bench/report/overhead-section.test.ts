/**
 * The overhead comparison holds only when every phase served every request. With failures in
 * the direct (or proxy) phase the report keeps the measured latencies, prints no added latency
 * or ratio in the terminal, the HTML page or the JSON, and says why.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHtmlReport } from '../../../bench/report/html-report';
import { renderTerminalReport } from '../../../bench/report/terminal-report';
import { checkReport } from '../../../shared/report/validate';
import { bench, withSimulator } from '../bench-test-helpers';

const args = (target: string, direct: string) => ['--scenario', 'overhead', '--target', target, '--direct', direct, '--requests', '120', '--concurrency', '4', '--rounds', '2', '--warmup', '0'];

test('an overhead run whose direct phase had failures prints no overhead, and says why', async () => {
  await withSimulator({ latencyMs: 2, seed: 5 }, async (served) => {
    await withSimulator({ latencyMs: 2, errorRate: 0.3, errorKinds: ['http503'], seed: 5 }, async (failing) => {
      served.recording = false;
      failing.recording = false;
      const report = await bench(args(served.url, failing.url));
      const direct = report.phases.find((p) => p.role === 'direct')!;
      assert.ok(direct.counts.errors > 0, 'the direct phase failed some requests');
      const o = report.overhead!;
      assert.match(o.refusedBecause ?? '', new RegExp(`the direct phase had ${direct.counts.errors} failed requests of ${direct.counts.completed}`));
      assert.doesNotMatch(o.refusedBecause!, /the gateway phase/);
      for (const row of o.rows) {
        assert.equal(row.gatewayAddedMs, null);
        assert.equal(row.proxyAddedMs, null);
        assert.ok(row.directMs !== null && row.gatewayMs !== null, 'the measured latencies stay');
      }
      assert.equal(o.gatewayOverDirect, null);
      assert.equal(o.proxyOverDirect, null);
      assert.ok(checkReport(JSON.parse(JSON.stringify(report))).ok, 'the JSON still matches the schema');

      const text = renderTerminalReport(report);
      assert.match(text, /No overhead figure: the direct phase had \d+ failed requests/);
      assert.doesNotMatch(text, /gateway \+/);
      assert.doesNotMatch(text, /gateway\/direct/);
      const html = renderHtmlReport(report);
      assert.match(html, /No overhead figure: the direct phase had \d+ failed requests/);
      assert.doesNotMatch(html, /gateway added/);
    });
  });
});

test('an overhead run where every phase served everything gives the added latency and ratios', async () => {
  await withSimulator({ latencyMs: 2, seed: 5 }, async (sim) => {
    sim.recording = false;
    const report = await bench(args(sim.url, sim.url));
    const o = report.overhead!;
    assert.equal(o.refusedBecause, undefined);
    assert.ok(o.rows.every((row) => row.gatewayAddedMs !== null && row.proxyAddedMs !== null));
    assert.ok(o.gatewayOverDirect !== null && o.gatewayOverDirect > 0);
    assert.match(renderTerminalReport(report), /gateway \+/);
  });
});
