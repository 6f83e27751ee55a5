import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCompareCommand } from '../../../bench/cli/compare-command';
import { diffMicroReports } from '../../../bench/baseline/micro-diff';
import { MICRO_REPORT_KIND, type MicroReport, type MicroRowResult } from '../../../bench/baseline/micro-report';

function row(name: string, medianNs: number, spreadPct = 4): MicroRowResult {
  const half = (medianNs * spreadPct) / 200;
  return { group: 'Cache', name, input: 'x', status: 'ok', clock: 'cpu', medianNs, p25Ns: medianNs - half, p75Ns: medianNs + half, minNs: medianNs - 2 * half, maxNs: medianNs * 2, samples: 100, hooshNs: 100, ratio: medianNs / 100, budgetNs: 1e6, budgetMet: true };
}

function report(rows: MicroRowResult[]): MicroReport {
  return { kind: MICRO_REPORT_KIND, version: 1, startedAt: '2026-01-01T00:00:00Z', node: 'v20', cpu: 'cpu', cores: 2, loadAverage: [0, 0, 0], filter: null, rounds: 1, rows };
}

test('a micro row is a regression only beyond the drift and with no overlap of the quartiles', () => {
  const base = report([row('cache/get-hit-1k', 100), row('cache/key-5-messages', 2000), row('budget/check', 1)]);
  const now = report([row('cache/get-hit-1k', 105), row('cache/key-5-messages', 3000), row('budget/check', 0.5)]);
  const diff = diffMicroReports(base, now, 'a.json', 'b.json');
  const verdicts = Object.fromEntries(diff.rows.map((r) => [r.metric, r.verdict]));
  assert.deepEqual(verdicts, { 'cache/get-hit-1k': 'within-noise', 'cache/key-5-messages': 'regression', 'budget/check': 'improvement' });
  assert.equal(diff.regressions, 1);
  assert.equal(diff.improvements, 1);
});

test('a wide spread widens the noise: a 30% change inside ±40% quartiles is not a regression', () => {
  const diff = diffMicroReports(report([row('routing/priority-20', 100, 80)]), report([row('routing/priority-20', 130, 80)]), 'a', 'b');
  assert.equal(diff.rows[0]!.verdict, 'within-noise');
  assert.ok(diff.rows[0]!.noisePct! >= 80);
});

test('failed rows and rows missing on one side are left out, not compared', () => {
  const failed: MicroRowResult = { group: 'Hardware', name: 'hardware/detect', input: 'x', status: 'failed', error: 'no probes', hooshNs: 5e9, ratio: null, budgetNs: null, budgetMet: null };
  const diff = diffMicroReports(report([row('a', 10), failed]), report([row('b', 10), { ...failed }]), 'a', 'b');
  assert.equal(diff.rows.length, 0);
});

test('switchyard bench compare takes two micro reports: exit 1 and the row named on a regression, 0 when within noise', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'micro-compare-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, 'a.json');
  const same = join(dir, 'same.json');
  const worse = join(dir, 'worse.json');
  writeFileSync(a, JSON.stringify(report([row('cache/get-hit-1k', 100), row('budget/check', 1)])));
  writeFileSync(same, JSON.stringify(report([row('cache/get-hit-1k', 103), row('budget/check', 1.02)])));
  writeFileSync(worse, JSON.stringify(report([row('cache/get-hit-1k', 180), row('budget/check', 1.02)])));
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stdout.write;
  let sameCode: number;
  let worseCode: number;
  try {
    sameCode = await runCompareCommand([a, same, '--out-dir', dir]);
    worseCode = await runCompareCommand([a, worse, '--out-dir', dir]);
  } finally {
    process.stdout.write = write;
  }
  assert.equal(sameCode, 0);
  assert.equal(worseCode, 1);
  const text = out.join('');
  assert.match(text, /0 regression\(s\)/);
  assert.match(text, /cache\/get-hit-1k.*regression/);
});

test('a micro report does not compare with a load benchmark report', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'micro-compare-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, 'a.json');
  const load = join(dir, 'load.json');
  writeFileSync(a, JSON.stringify(report([row('cache/get-hit-1k', 100)])));
  writeFileSync(load, JSON.stringify({ phases: [] }));
  const err: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (err.push(chunk), true)) as typeof process.stderr.write;
  try {
    assert.equal(await runCompareCommand([a, load, '--out-dir', dir]), 2);
  } finally {
    process.stderr.write = write;
  }
  assert.match(err.join(''), /compares only with another one/);
});

test('rounds that disagree widen the noise: a change no larger than the spread between rounds is not a regression', () => {
  const steady = { ...row('cache/get-hit-1k', 100), roundMediansNs: [100, 101, 99] };
  const jumpy = { ...row('cache/get-hit-1k', 100), roundMediansNs: [70, 100, 150] };
  const later = row('cache/get-hit-1k', 140);
  assert.equal(diffMicroReports(report([steady]), report([later]), 'a', 'b').rows[0]!.verdict, 'regression');
  assert.equal(diffMicroReports(report([jumpy]), report([later]), 'a', 'b').rows[0]!.verdict, 'within-noise');
});
