import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { bench, phase, withSimulator } from '../bench-test-helpers';

test('a 1 s stall during a fixed-rate run shows in the corrected percentiles, not in service time', async () => {
  await withSimulator({ latencyMs: 5 }, async (sim) => {
    sim.recording = false;
    // After ~1 s of load, one request takes 1 s: the classic coordinated-omission trap.
    const stall = (async () => {
      while (sim.stats().received < 100) await sleep(2);
      const before = sim.stats().received;
      sim.configure({ latencyMs: 1000 });
      while (sim.stats().received === before) await sleep(1);
      sim.configure({ latencyMs: 5 });
    })();
    // One request in flight at a time: arrivals during the stall wait and go late.
    const report = await bench(['--scenario', 'fixed-rate', '--target', sim.url, '--rate', '100', '--duration', '3', '--max-in-flight', '1', '--warmup', '0']);
    await stall;
    const p = phase(report);
    assert.equal(p.counts.errors, 0);
    const corrected = p.latency!.summary;
    const service = p.service!.summary;
    assert.ok(service.maxMs >= 950, `the stalled request itself: ${service.maxMs} ms`);
    assert.ok(service.p90Ms < 60, `service p90 ${service.p90Ms} ms hides the stall`);
    assert.ok(corrected.p90Ms > 200, `corrected p90 ${corrected.p90Ms} ms shows it`);
    assert.ok(corrected.p99Ms > 700, `corrected p99 ${corrected.p99Ms} ms`);
    assert.ok(p.counts.late >= 50, `${p.counts.late} arrivals sent late`);
  });
});
