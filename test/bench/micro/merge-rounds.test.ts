import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MicroRowResult } from '../../../bench/baseline/micro-report';
import { diffMicroReports } from '../../../bench/baseline/micro-diff';
import { mergeRounds } from '../../../bench/micro/merge-rounds';

function row(name: string, medianNs: number, extra: Partial<MicroRowResult> = {}): MicroRowResult {
  return { group: 'G', name, input: 'in', status: 'ok', clock: 'cpu', medianNs, p25Ns: medianNs * 0.98, p75Ns: medianNs * 1.02, minNs: medianNs * 0.9, maxNs: medianNs * 1.5, samples: 10, roundMediansNs: [medianNs], hooshNs: 100, ratio: medianNs / 100, budgetNs: 1_000_000, budgetMet: true, ...extra };
}

function report(rows: MicroRowResult[]) {
  return { kind: 'switchyard-micro' as const, version: 1 as const, startedAt: '', node: 'v20', cpu: 'x', cores: 2, loadAverage: [0, 0, 0], filter: null, rounds: 3, rows };
}

/** Each row's verdict by its name (the yardstick's metric has a note after its name). */
function verdictsByRow(diff: ReturnType<typeof diffMicroReports>): Record<string, string> {
  return Object.fromEntries(diff.rows.map((r) => [r.metric.split(' ')[0], r.verdict]));
}

describe('merging rounds measured in separate processes', () => {
  it('takes the median round, keeps every round’s median, and recomputes the ratio and the budget', () => {
    const merged = mergeRounds([[row('a', 63)], [row('a', 121)], [row('a', 65)]]);
    assert.equal(merged.length, 1);
    assert.equal(merged[0]!.medianNs, 65);
    assert.deepEqual(merged[0]!.roundMediansNs, [63, 121, 65]);
    assert.equal(merged[0]!.ratio, 0.65);
    assert.equal(merged[0]!.samples, 30);
    assert.equal(merged[0]!.budgetMet, true);
  });

  it('a row that failed in any round fails, with that round’s error', () => {
    const merged = mergeRounds([[row('a', 10)], [{ ...row('a', 10), status: 'failed', error: 'feature missing', medianNs: undefined }], [row('a', 10)]]);
    assert.equal(merged[0]!.status, 'failed');
    assert.equal(merged[0]!.error, 'feature missing');
  });

  it('lets a comparison count the drift between processes as noise, not as a regression', () => {
    // The same code in two runs: one process of each happened to optimize the row the slow way.
    const first = report(mergeRounds([[row('a', 63)], [row('a', 64)], [row('a', 121)]]));
    const second = report(mergeRounds([[row('a', 118)], [row('a', 121)], [row('a', 62)]]));
    assert.equal(diffMicroReports(first, second, 'one', 'two').rows[0]!.verdict, 'within-noise');
    // Whereas a row that is slower in every process of the second run is a regression.
    const slower = report(mergeRounds([[row('a', 130)], [row('a', 128)], [row('a', 131)]]));
    const steady = report(mergeRounds([[row('a', 63)], [row('a', 64)], [row('a', 62)]]));
    assert.equal(diffMicroReports(steady, slower, 'one', 'two').rows[0]!.verdict, 'regression');
  });

  it('divides out a machine that ran everything slower, and still finds a row that got slower on its own', () => {
    const base = report([row('machine/yardstick', 1000), row('a', 100), row('b', 100)]);
    // The whole machine 15% slower; row b 40% slower besides.
    const now = report([row('machine/yardstick', 1150), row('a', 115), row('b', 161)]);
    const diff = diffMicroReports(base, now, 'one', 'two');
    const verdicts = verdictsByRow(diff);
    assert.deepEqual(verdicts, { 'machine/yardstick': 'noise-unknown', a: 'within-noise', b: 'regression' });
    assert.ok(Math.abs(diff.rows.find((r) => r.metric === 'a')!.changePct!) < 1);
  });

  it('gives no verdict that only the yardstick makes: a yardstick that swung alone leaves unchanged rows within noise', () => {
    const base = report([row('machine/yardstick', 1000), row('a', 100), row('b', 100)]);
    // The yardstick timed 17% faster while the rows ran as before; row b is 40% slower as measured.
    const now = report([row('machine/yardstick', 830), row('a', 100), row('b', 140)]);
    const diff = diffMicroReports(base, now, 'one', 'two');
    const verdicts = verdictsByRow(diff);
    assert.deepEqual(verdicts, { 'machine/yardstick': 'noise-unknown', a: 'within-noise', b: 'regression' });
    // The change shown is still the one with the machine divided out.
    assert.ok(Math.abs(diff.rows.find((r) => r.metric === 'a')!.changePct! - 20.5) < 0.5);
  });
});
