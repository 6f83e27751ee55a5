import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bench, withSimulator } from '../bench-test-helpers';

test('a sweep against a provider with capacity 8 places the ceiling near 8 concurrent', async () => {
  await withSimulator({ latencyMs: 20, capacity: 8 }, async (sim) => {
    sim.recording = false;
    const found: (number | null)[] = [];
    // Short levels on a busy shared machine can blur one run; a wrong detector blurs every run.
    for (let attempt = 0; attempt < 2; attempt++) {
      const report = await bench(['--scenario', 'sweep', '--target', sim.url, '--concurrencies', '2,4,8,16,32', '--requests', '240', '--warmup', '8']);
      assert.ok(report.sweep, 'sweep section');
      assert.equal(report.sweep.points.length, 5);
      const at = (c: number) => report.sweep!.points.find((p) => p.concurrency === c)!;
      // Capacity 8 at 20 ms allows 400 requests/s whatever the concurrency; beyond it, requests queue.
      assert.ok(at(32).requestsPerSecond <= 8 / 0.02 * 1.05, `throughput at 32: ${at(32).requestsPerSecond}`);
      assert.ok(at(32).p50Ms! > at(8).p50Ms! * 2, `p50 ${at(8).p50Ms} → ${at(32).p50Ms} ms`);
      const ceiling = report.sweep.ceiling?.concurrency ?? null;
      found.push(ceiling);
      if (ceiling !== null && ceiling >= 4 && ceiling <= 16) break;
    }
    assert.ok(found.some((c) => c !== null && c >= 4 && c <= 16), `ceilings found: ${found.join(', ')}`);
  });
});
