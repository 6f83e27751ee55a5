import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BenchReportSchema, REPORT_VERSION } from '../../../shared/report/schema';
import { checkReport, parseReport } from '../../../shared/report/validate';
import { bench, withSimulator } from '../bench-test-helpers';

test('a report validates against its schema, survives JSON, and a wrong version is refused with a clear message', async () => {
  await withSimulator({ ttftMs: 5, tokensPerSecond: 2000, outputTokens: 8 }, async (sim) => {
    sim.recording = false;
    const report = await bench(['--scenario', 'mix', '--target', sim.url, '--stream', '--requests', '60', '--concurrency', '6', '--slo-latency-ms', '1000']);
    const checked = checkReport(report);
    assert.ok(checked.ok, checked.ok ? '' : checked.error);
    const text = JSON.stringify(report);
    const parsed = parseReport(text);
    assert.ok(parsed.ok);
    assert.equal(parsed.report.version, REPORT_VERSION);
    assert.ok(parsed.report.phases[0]!.latency!.hdr.length > 10, 'encoded HDR histogram stored');
    assert.ok(parsed.report.phases[0]!.goodput!.fraction > 0.9);

    const old = parseReport(JSON.stringify({ ...report, version: 99 }), 'old.json');
    assert.ok(!old.ok);
    assert.match(old.error, /old\.json is a version 99 report; this Switchyard reads version 1/);
    const stranger = parseReport('{"hello":1}', 'x.json');
    assert.ok(!stranger.ok);
    assert.match(stranger.error, /not a Switchyard benchmark report/);
    const broken = checkReport({ ...report, phases: [{ name: 3 }] });
    assert.ok(!broken.ok);
    assert.match(broken.error, /phases/);
  });
  assert.equal(BenchReportSchema.properties.version.const, REPORT_VERSION);
});
