import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureRow } from '../../../bench/micro/measure-row';
import { judgeOverhead, MICRO_GROUPS, runMicro } from '../../../bench/micro/run-micro';
import { microMarkdown } from '../../../bench/micro/micro-table';
import { MICRO_REPORT_KIND, type MicroRowResult } from '../../../bench/baseline/micro-report';

test('every row of the hoosh matrix has a row in the suite, each with a unique name', () => {
  const names = MICRO_GROUPS.flatMap((group) => group.rows.map((row) => row.name));
  assert.equal(new Set(names).size, names.length);
  for (const expected of [
    'routing/priority-20', 'routing/round-robin-10',
    'providers/register-20-routes', 'providers/lookup-hit', 'providers/lookup-miss', 'providers/construct-no-key', 'providers/construct-with-key',
    'providers/build-request-simple', 'providers/build-request-4-messages', 'providers/serialize-simple', 'providers/serialize-10-messages',
    'cache/get-hit-1k', 'cache/get-miss-1k', 'cache/insert-below-capacity', 'cache/insert-evicting', 'cache/key-5-messages', 'cache/key-5-messages-digest',
    'budget/reserve-commit', 'budget/check', 'budget/pool-available',
    'config/parse-minimal', 'config/parse-full', 'config/parse-convert',
    'hardware/detect', 'hardware/summary', 'hardware/recommend-1b', 'hardware/recommend-7b', 'hardware/recommend-largest',
    'end-to-end/health', 'end-to-end/list-models', 'end-to-end/short-inference', 'end-to-end/streamed-inference',
    'connection/new-client', 'connection/reused', 'concurrency/1', 'concurrency/4', 'concurrency/8', 'concurrency/16',
  ]) assert.ok(names.includes(expected), `missing row ${expected}`);
});

test('the filter runs only the matching rows, each with a median, its spread and the ratio to hoosh', async () => {
  const rows = await runMicro(/^budget\/check$/);
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.equal(row!.status, 'ok');
  assert.ok(row!.medianNs! > 0 && row!.p25Ns! <= row!.medianNs! && row!.medianNs! <= row!.p75Ns!);
  assert.equal(row!.ratio, row!.medianNs! / 16);
  assert.equal(row!.budgetMet, true);
});

test('a row whose feature is missing fails loudly, with the reason, in the table too', async () => {
  const spec = { name: 'hardware/summary', input: 'x', hooshNs: 860, budgetNs: 1e6 };
  const missing = await measureRow('Hardware', spec, undefined, undefined);
  assert.equal(missing.status, 'failed');
  assert.match(missing.error!, /feature is missing/);
  const unopened = await measureRow('Hardware', spec, () => 1, new Error('daemon/hardware is not there'));
  assert.equal(unopened.status, 'failed');
  assert.match(unopened.error!, /daemon\/hardware is not there/);
  const throwing = await measureRow('Hardware', spec, () => {
    throw new Error('probe refused');
  }, undefined);
  assert.equal(throwing.status, 'failed');
  const table = microMarkdown({ kind: MICRO_REPORT_KIND, version: 1, startedAt: '', node: '', cpu: '', cores: 2, loadAverage: [], filter: null, rounds: 1, rows: [missing] });
  assert.match(table, /FAILED: no benchmark body/);
});

test('an inference row is judged on the time the gateway adds to the direct request, not on the whole request', () => {
  const direct: MicroRowResult = { group: 'End to end', name: 'd', input: '', status: 'ok' as const, medianNs: 4_000_000, p25Ns: 0, p75Ns: 0, hooshNs: null, ratio: null, budgetNs: null, budgetMet: null };
  const through: MicroRowResult = { ...direct, name: 'g', medianNs: 7_000_000, budgetNs: 5_000_000 };
  judgeOverhead(through, direct);
  assert.equal(through.addedNs, 3_000_000);
  assert.equal(through.budgetMet, true);
  const slow: MicroRowResult = { ...through, medianNs: 9_500_000 };
  judgeOverhead(slow, direct);
  assert.equal(slow.budgetMet, false);
  const alone: MicroRowResult = { ...through };
  judgeOverhead(alone, { ...direct, status: 'failed' as const });
  assert.equal(alone.budgetMet, null);
});
