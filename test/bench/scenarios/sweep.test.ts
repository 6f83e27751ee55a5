import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bench, withSimulator } from '../bench-test-helpers';

test('a sweep against a provider with capacity 8 places the ceiling near 8 concurrent', async () => {
  await withSimulator({ latencyMs: 20, capacity: 8 }, async (sim) => {
    sim.recording = false;
    const report = await bench(['--scenario', 'sweep', '--target', sim.url, '--concurrencies', '2,4,8,16,32', '--requests', '160', '--warmup', '8']);
    assert.ok(report.sweep, 'sweep section');
    assert.equal(report.sweep.points.length, 5);
    const ceiling = report.sweep.ceiling;
    assert.ok(ceiling, 'a ceiling is found');
    assert.ok(ceiling.concurrency >= 4 && ceiling.concurrency <= 16, `ceiling at ${ceiling.concurrency}`);
    const at = (c: number) => report.sweep!.points.find((p) => p.concurrency === c)!;
    // Beyond capacity, throughput stays flat while requests queue.
    assert.ok(at(32).requestsPerSecond < at(8).requestsPerSecond * 1.25);
    assert.ok(at(32).p50Ms! > at(8).p50Ms! * 2, `p50 ${at(8).p50Ms} → ${at(32).p50Ms} ms`);
  });
});
