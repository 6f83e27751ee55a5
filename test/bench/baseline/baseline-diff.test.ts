import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffReports } from '../../../shared/report/baseline-diff';
import { summarizeRepeats } from '../../../bench/baseline/repeats';
import type { BenchReport } from '../../../shared/report/schema';

/** The smallest report keyFigures reads: one phase with throughput and latency. */
function report(rps: number, p99: number): BenchReport {
  return {
    phases: [{ name: 'blast', okPerSecond: rps, counts: { completed: 100, errors: 0 }, latency: { summary: { p50Ms: p99 / 3, p90Ms: p99 / 2, p99Ms: p99 } }, ttft: null }],
    overhead: null,
    daemon: null,
    repeats: null,
  } as unknown as BenchReport;
}

const withRepeats = (runs: BenchReport[]) => ({ ...runs[runs.length - 1]!, repeats: summarizeRepeats(runs) });

test('repeated runs give medians and their spread as noise', () => {
  const r = summarizeRepeats([report(1000, 10), report(1100, 11), report(1050, 12)]);
  assert.equal(r.count, 3);
  assert.equal(r.median['blast.requestsPerSecond'], 1050);
  assert.ok(Math.abs(r.noisePct['blast.requestsPerSecond']! - (100 / 1050) * 100) < 1e-9);
});

test('a change inside the measured noise is not a regression; beyond it, it is', () => {
  const base = withRepeats([report(1000, 10), report(1050, 10.5), report(1100, 11)]); // ±10% noise
  const slightlyWorse = withRepeats([report(980, 10.6), report(1000, 10.8), report(1020, 11)]);
  const within = diffReports(base, slightlyWorse, 'base', 'now');
  assert.equal(within.regressions, 0);
  assert.equal(within.rows.find((r) => r.metric === 'blast.requestsPerSecond')!.verdict, 'within-noise');

  const muchWorse = withRepeats([report(700, 20), report(710, 20.5), report(720, 21)]);
  const beyond = diffReports(base, muchWorse, 'base', 'now');
  const rps = beyond.rows.find((r) => r.metric === 'blast.requestsPerSecond')!;
  assert.equal(rps.verdict, 'regression');
  assert.ok(rps.changePct < -25);
  assert.equal(beyond.rows.find((r) => r.metric === 'blast.p99Ms')!.verdict, 'regression');
  assert.ok(beyond.regressions >= 3);
});

test('single runs cannot judge a change: noise unknown, never flagged', () => {
  const diff = diffReports(report(1000, 10), report(500, 30), 'a', 'b');
  assert.equal(diff.regressions, 0);
  assert.ok(diff.rows.every((r) => r.verdict === 'noise-unknown'));
  assert.equal(diff.rows.find((r) => r.metric === 'blast.requestsPerSecond')!.changePct, -50);
});
