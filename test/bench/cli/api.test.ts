import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BenchInputError, runBenchmark, type PhaseProgress } from '../../../bench/api';
import { withSimulator } from '../bench-test-helpers';

test('the library entry reports progress, and an AbortSignal gives a partial report', async () => {
  await withSimulator({ latencyMs: 2 }, async (sim) => {
    sim.recording = false;
    const seen: PhaseProgress[] = [];
    const controller = new AbortController();
    const report = await runBenchmark(['--scenario', 'sweep', '--target', sim.url, '--concurrencies', '2,4', '--duration', '30', '--warmup', '0'], {
      progress: {
        begin: () => undefined,
        update: (p) => {
          seen.push(p);
          if (p.completed > 200) controller.abort();
        },
        end: () => undefined,
      },
      signal: controller.signal,
    });
    assert.ok(seen.length >= 1, 'progress arrived');
    assert.equal(report.status, 'interrupted');
    assert.equal(report.phases.length, 1, 'no phase starts after the stop');
    assert.ok(report.phases[0]!.counts.ok > 200);
  });
});

test('the library entry refuses bad input with every problem listed', async () => {
  await assert.rejects(runBenchmark(['--scenario', 'fixed-rate', '--rate', '0', '--requests', '0']), (err: unknown) => {
    assert.ok(err instanceof BenchInputError);
    assert.equal(err.problems.length, 2);
    return true;
  });
});
