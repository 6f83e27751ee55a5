/**
 * Budget accounting cost per provider call: one reserve plus one commit.
 *
 *   node --import tsx bench/micro/budget-reserve.ts [--iterations N] [--runs R] [--redis URL]
 *
 * embedded   ns per reserve+commit on the embedded ledger, two budgets per call, with the
 *            journal on (its batched writes are included: the clock stops after the last
 *            batch is written), without it (memory only), and with one budget per call
 * redis      with --redis (or SWITCHYARD_TEST_REDIS_URL): Redis commands and round trips per
 *            reserve+commit (from INFO commandstats), and µs per call, sequential and 64 at once
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type RedisClientType } from '@keyv/redis';
import { EmbeddedLedger } from '../../daemon/budgets/embedded-ledger';
import type { BudgetDefinition } from '../../daemon/budgets/ledger';
import { RedisLedger } from '../../daemon/budgets/redis-ledger';
import { upperMedian } from '../metrics/median';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const iterations = Number(option('--iterations') ?? 2_000_000);
const runs = Number(option('--runs') ?? 5);
const redisUrl = option('--redis') ?? process.env.SWITCHYARD_TEST_REDIS_URL;

const definitions: BudgetDefinition[] = [
  { name: 'tokens', scope: { kind: 'all' }, window: { kind: 'day' }, limitTokens: Number.MAX_SAFE_INTEGER, action: 'block' },
  { name: 'money', scope: { kind: 'all' }, window: { kind: 'month' }, limitNanoUsd: Number.MAX_SAFE_INTEGER, action: 'block' },
];
/** Every budget a call counts against is charged the same estimate, then the same actual usage. */
const bothBudgets: readonly number[] = [0, 1];
const reserve = { tokens: 1_100, nanoUsd: 2_750_000 };
const actual = { tokens: 420, nanoUsd: 1_050_000 };

async function embedded(journalPath: string | undefined, budgets = 2): Promise<number> {
  const ledger = new EmbeddedLedger({ definitions: definitions.slice(0, budgets), ...(journalPath ? { journalPath } : {}), warn: () => {} });
  const counted = bothBudgets.slice(0, budgets);
  const now = Date.now();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const hold = ledger.reserve(counted, reserve.tokens, reserve.nanoUsd, now);
    if (hold.ok) hold.commit(actual.tokens, actual.nanoUsd, now);
    // Let the journal write its batch now and then, as the event loop would between requests.
    if ((i & 4095) === 4095) await ledger.durable();
  }
  await ledger.durable();
  const ns = Number(process.hrtime.bigint() - started) / iterations;
  await ledger.close();
  return ns;
}

async function commandCount(client: RedisClientType): Promise<number> {
  const info = await client.info('commandstats');
  let calls = 0;
  for (const match of info.matchAll(/^cmdstat_(evalsha|eval|script):calls=(\d+)/gm)) calls += Number(match[2]);
  return calls;
}

async function redis(url: string) {
  const client = createClient({ url }) as RedisClientType;
  const probe = createClient({ url }) as RedisClientType;
  await client.connect();
  await probe.connect();
  const ledger = new RedisLedger({ client, definitions: definitions.map((d) => ({ ...d, name: `bench-${d.name}-${process.pid}` })), keyPrefix: 'bench', warn: () => {} });
  const count = 5_000;
  const before = await commandCount(probe);
  let started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const now = Date.now();
    const hold = await ledger.reserve(bothBudgets, reserve.tokens, reserve.nanoUsd, now);
    if (hold.ok) await hold.commit(actual.tokens, actual.nanoUsd, now);
  }
  const sequentialUs = Number(process.hrtime.bigint() - started) / count / 1000;
  const roundTrips = ((await commandCount(probe)) - before) / count;
  started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < count) {
        next++;
        const now = Date.now();
        const hold = await ledger.reserve(bothBudgets, reserve.tokens, reserve.nanoUsd, now);
        if (hold.ok) await hold.commit(actual.tokens, actual.nanoUsd, now);
      }
    }),
  );
  const concurrentUs = Number(process.hrtime.bigint() - started) / count / 1000;
  client.destroy();
  probe.destroy();
  return { roundTripsPerReserveCommit: roundTrips, sequentialUsPerReserveCommit: Math.round(sequentialUs * 10) / 10, concurrent64UsPerReserveCommit: Math.round(concurrentUs * 10) / 10 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-budget-bench-'));
  const withJournal: number[] = [];
  const memoryOnly: number[] = [];
  const oneBudget: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      memoryOnly.push(await embedded(undefined));
      withJournal.push(await embedded(join(dir, `ledger-${run}.journal`)));
      oneBudget.push(await embedded(join(dir, `ledger-one-${run}.journal`), 1));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result: Record<string, unknown> = {
    iterations,
    runs,
    budgetsPerCall: definitions.length,
    embeddedNsPerReserveCommit: Math.round(upperMedian(withJournal)),
    embeddedMemoryOnlyNsPerReserveCommit: Math.round(upperMedian(memoryOnly)),
    embeddedOneBudgetNsPerReserveCommit: Math.round(upperMedian(oneBudget)),
  };
  if (redisUrl) result.redis = await redis(redisUrl);
  console.log(JSON.stringify(result));
}

void main();
