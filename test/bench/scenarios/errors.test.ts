import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bench, phase, withSimulator } from '../bench-test-helpers';

test('failures are counted by kind: HTTP status, timeout, connection, protocol', async () => {
  await withSimulator({ latencyMs: 2, errorRate: 0.4, errorKinds: ['stall', 'reset', 'garbage', 'http503'], seed: 3 }, async (sim) => {
    sim.recording = false;
    const report = await bench(['--scenario', 'blast', '--target', sim.url, '--requests', '200', '--concurrency', '10', '--timeout-ms', '300', '--warmup', '0']);
    const p = phase(report);
    assert.equal(p.counts.completed, 200);
    assert.equal(p.counts.ok + p.counts.errors, 200);
    const kinds = Object.keys(p.errors).sort();
    assert.deepEqual(kinds, ['connection', 'http_503', 'protocol', 'timeout']);
    assert.equal(Object.values(p.errors).reduce((a, b) => a + b, 0), p.counts.errors);
    assert.ok(p.counts.errors > 40 && p.counts.errors < 120, `${p.counts.errors} of 200 failed at a 40% error rate`);
    assert.ok(report.notes.some((n) => /requests failed \(.*timeout/.test(n)));
    assert.equal(p.latency!.summary.count, p.counts.ok, 'failures stay out of the latency figures');
  });
});
