import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createClient, type RedisClientType } from '@keyv/redis';
import { EmbeddedLedger } from '../../../daemon/budgets/embedded-ledger';
import type { BudgetDefinition, Charge } from '../../../daemon/budgets/ledger';
import { RedisLedger } from '../../../daemon/budgets/redis-ledger';
import { costNanoUsd, priceFor } from '../../../daemon/budgets/prices';
import { windowPosition } from '../../../daemon/budgets/windows';
import { connectRedis } from '../../../daemon/team/redis-client';
import { startTestRedis, type TestRedis } from '../../helpers/redis-for-tests';

const DAY: BudgetDefinition = { name: 'day', scope: { kind: 'all' }, window: { kind: 'day' }, limitTokens: 1000, action: 'block' };
const MONEY: BudgetDefinition = { name: 'money', scope: { kind: 'all' }, window: { kind: 'month' }, limitNanoUsd: 5_000, action: 'block' };
const NOW = Date.UTC(2026, 10, 26, 12);
const quiet = () => {};

describe('embedded ledger', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-ledger-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('matches a simple model under any sequence of reserve, commit and release', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('reserve' as const), tokens: fc.integer({ min: 0, max: 300 }), nano: fc.integer({ min: 0, max: 2000 }) }),
      fc.record({ kind: fc.constant('commit' as const), pick: fc.nat(), tokens: fc.integer({ min: 0, max: 400 }) }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ledger = new EmbeddedLedger({ definitions: [DAY, MONEY] }, NOW);
        const open = new Map<string, Charge[]>();
        let spent = 0;
        let spentNano = 0;
        let n = 0;
        for (const step of ops) {
          if (step.kind === 'reserve') {
            const charges = [
              { budget: 0, tokens: step.tokens, nanoUsd: step.nano },
              { budget: 1, tokens: step.tokens, nanoUsd: step.nano },
            ];
            const reserved = [...open.values()].reduce((sum, c) => sum + c[0]!.tokens, 0);
            const reservedNano = [...open.values()].reduce((sum, c) => sum + c[0]!.nanoUsd, 0);
            const fitsTokens = step.tokens === 0 || spent + reserved + step.tokens <= 1000;
            const fitsMoney = step.nano === 0 || spentNano + reservedNano + step.nano <= 5000;
            const outcome = ledger.reserve(`r${n}`, charges, NOW);
            assert.equal(outcome.ok, fitsTokens && fitsMoney);
            if (outcome.ok) open.set(`r${n}`, charges);
            n++;
          } else if (open.size > 0) {
            const id = [...open.keys()][step.pick % open.size]!;
            open.delete(id);
            if (step.kind === 'commit') {
              ledger.commit(id, [{ budget: 0, tokens: step.tokens, nanoUsd: step.tokens }, { budget: 1, tokens: step.tokens, nanoUsd: step.tokens }], NOW);
              ledger.commit(id, [{ budget: 0, tokens: 999, nanoUsd: 999 }], NOW); // a second commit of the same id counts nothing
              spent += step.tokens;
              spentNano += step.tokens;
            } else {
              ledger.release(id);
            }
          }
          const figures = ledger.figures(NOW)[0]!;
          assert.equal(figures.spentTokens, spent);
          assert.equal(figures.reservedTokens, [...open.values()].reduce((sum, c) => sum + c[0]!.tokens, 0));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a $0 charge never fails a money limit', () => {
    const ledger = new EmbeddedLedger({ definitions: [{ ...MONEY, limitNanoUsd: 0 }] }, NOW);
    assert.equal(ledger.reserve('free', [{ budget: 0, tokens: 10_000, nanoUsd: 0 }], NOW).ok, true);
    assert.equal(ledger.reserve('paid', [{ budget: 0, tokens: 1, nanoUsd: 1 }], NOW).ok, false);
  });

  it('survives a restart from its journal, releases open reservations, and drops a cut-off last batch', async () => {
    const path = join(dir, 'restart.journal');
    let ledger = new EmbeddedLedger({ definitions: [DAY], journalPath: path, warn: quiet }, NOW);
    for (let i = 0; i < 10; i++) {
      ledger.reserve(`c${i}`, [{ budget: 0, tokens: 50, nanoUsd: 0 }], NOW);
      ledger.commit(`c${i}`, [{ budget: 0, tokens: 7, nanoUsd: 0 }], NOW);
    }
    ledger.reserve('open', [{ budget: 0, tokens: 300, nanoUsd: 0 }], NOW);
    await ledger.durable();
    // No close(): as after kill -9, plus half a batch written when the process died.
    appendFileSync(path, 'day 1795651200000 5 0\nday 179');
    ledger = new EmbeddedLedger({ definitions: [DAY], journalPath: path, warn: quiet }, NOW);
    assert.deepEqual(
      (({ spentTokens, reservedTokens }) => ({ spentTokens, reservedTokens }))(ledger.figures(NOW)[0]!),
      { spentTokens: 70, reservedTokens: 0 },
    );
    await ledger.close();
    // Compacted on open: one line per live slot, and still the same figures.
    assert.equal(readFileSync(path, 'utf8').split('\n').filter(Boolean).length, 2);
    ledger = new EmbeddedLedger({ definitions: [DAY], journalPath: path, warn: quiet }, NOW);
    assert.equal(ledger.figures(NOW)[0]!.spentTokens, 70);
    await ledger.close();
  });

  it('skips a damaged batch with a warning and keeps the damaged file', async () => {
    const path = join(dir, 'damaged.journal');
    const slot = windowPosition({ kind: 'day' }, NOW).slotStart;
    writeFileSync(path, `day ${slot} 10 0\n#1 00000000000000000000000000000000\n`);
    const warnings: string[] = [];
    const ledger = new EmbeddedLedger({ definitions: [DAY], journalPath: path, warn: (message) => warnings.push(message) }, NOW);
    assert.equal(ledger.figures(NOW)[0]!.spentTokens, 0);
    assert.match(warnings.join(), /damaged/);
    assert.ok(readdirSync(dir).some((name) => name.startsWith('damaged.journal.damaged-')));
    await ledger.close();
  });

  it('forgets spending once its window has passed, and a rolling window frees it bucket by bucket', () => {
    const ledger = new EmbeddedLedger({ definitions: [DAY, { ...DAY, name: 'rolling', window: { kind: 'rolling', hours: 1 } }] }, NOW);
    ledger.reserve('a', [{ budget: 0, tokens: 10, nanoUsd: 0 }, { budget: 1, tokens: 10, nanoUsd: 0 }], NOW);
    ledger.commit('a', [{ budget: 0, tokens: 10, nanoUsd: 0 }, { budget: 1, tokens: 10, nanoUsd: 0 }], NOW);
    const later = NOW + 61 * 60_000;
    assert.equal(ledger.figures(NOW + 30 * 60_000)[1]!.spentTokens, 10);
    assert.equal(ledger.figures(later)[1]!.spentTokens, 0);
    assert.equal(ledger.figures(later)[0]!.spentTokens, 10);
    assert.equal(ledger.figures(NOW + 86_400_000)[0]!.spentTokens, 0);
  });
});

describe('prices', () => {
  const settings = (local: boolean, prices = {}) => ({ local, prices }) as Parameters<typeof priceFor>[0];
  it('local models are free; cloud models have defaults, config overrides and a non-zero unknown price', () => {
    assert.deepEqual(priceFor(settings(true), 'gpt-4o').price, { input: 0, output: 0 });
    assert.deepEqual(priceFor(settings(false), 'gpt-4o-2024-08-06').price, { input: 2.5, output: 10 });
    assert.deepEqual(priceFor(settings(false), 'gpt-4o-mini').price, { input: 0.15, output: 0.6 });
    assert.deepEqual(priceFor(settings(false, { 'gpt-4o': { input: 1, output: 2 } }), 'gpt-4o').price, { input: 1, output: 2 });
    assert.equal(priceFor(settings(false), 'mystery-model').source, 'unknown');
    assert.ok(priceFor(settings(false), 'mystery-model').price.input > 0);
    assert.equal(costNanoUsd({ input: 2.5, output: 10 }, 1000, 100), 3_500_000);
  });
});

describe('Redis ledger', () => {
  let redis: TestRedis | undefined;
  const clients: RedisClientType[] = [];
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await redis?.stop();
  });

  it('several ledgers reserving at once never overbook a limit, and commits add up exactly', { timeout: 60_000 }, async (t) => {
    if (redis === undefined) return t.skip('redis-server is not installed');
    const definitions: BudgetDefinition[] = [{ ...DAY, name: `race-${Date.now()}`, limitTokens: 5_000 }];
    const ledgers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const client = createClient({ url: redis!.url }) as RedisClientType;
        clients.push(client);
        await client.connect();
        return new RedisLedger({ client, definitions, keyPrefix: 'ledger-test', warn: quiet });
      }),
    );
    let committed = 0;
    let admitted = 0;
    await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const ledger = ledgers[i % ledgers.length]!;
        const id = `race-${i}`;
        const outcome = await ledger.reserve(id, [{ budget: 0, tokens: 50, nanoUsd: 0 }], Date.now());
        if (!outcome.ok) return;
        admitted++;
        const actual = 20 + (i % 30);
        committed += actual;
        await ledger.commit(id, [{ budget: 0, tokens: actual, nanoUsd: 0 }], Date.now());
        await ledger.commit(id, [{ budget: 0, tokens: actual, nanoUsd: 0 }], Date.now()); // counted once
      }),
    );
    // Every ledger must still be on Redis: a false alarm (a very slow reply) would have it enforce locally.
    assert.deepEqual(ledgers.map((ledger) => ledger.state()), ['redis', 'redis', 'redis', 'redis']);
    const figures = (await ledgers[0]!.figures(Date.now()))[0]!;
    assert.equal(figures.spentTokens, committed);
    assert.equal(figures.reservedTokens, 0);
    assert.ok(admitted >= 100, `only ${admitted} admitted`);
    assert.ok(figures.spentTokens <= 5_000);
  });

  it('a reservation whose daemon died lapses after its lease, and a release gives it back at once', async (t) => {
    if (redis === undefined) return t.skip('redis-server is not installed');
    const client = createClient({ url: redis.url }) as RedisClientType;
    clients.push(client);
    await client.connect();
    const definitions: BudgetDefinition[] = [{ ...DAY, name: `lease-${Date.now()}`, limitTokens: 100 }];
    const ledger = new RedisLedger({ client, definitions, keyPrefix: 'ledger-test', warn: quiet });
    const now = Date.now();
    assert.equal((await ledger.reserve('dead', [{ budget: 0, tokens: 80, nanoUsd: 0 }], now)).ok, true);
    assert.equal((await ledger.reserve('blocked', [{ budget: 0, tokens: 80, nanoUsd: 0 }], now)).ok, false);
    assert.equal((await ledger.reserve('later', [{ budget: 0, tokens: 80, nanoUsd: 0 }], now + 11 * 60_000)).ok, true);
    await ledger.release('later');
    assert.equal((await ledger.figures(now + 11 * 60_000))[0]!.reservedTokens, 0);
  });

  it('keeps enforcing while Redis is down and sends the commits made meanwhile, once each, when it returns', { timeout: 60_000 }, async (t) => {
    const own = await startTestRedis({ mustOwn: true });
    if (own === undefined) return t.skip('redis-server is not installed');
    const connection = connectRedis(own.url, quiet);
    let restarted: TestRedis | undefined;
    try {
      await connection.firstAttempt;
      const definitions: BudgetDefinition[] = [{ ...DAY, name: 'outage', limitTokens: 1_000 }];
      const ledger = new RedisLedger({ client: connection.client, definitions, keyPrefix: 'outage-test', warn: quiet });
      const spend = async (id: string, tokens: number) => {
        const outcome = await ledger.reserve(id, [{ budget: 0, tokens: 100, nanoUsd: 0 }], Date.now());
        if (outcome.ok) await ledger.commit(id, [{ budget: 0, tokens, nanoUsd: 0 }], Date.now());
        return outcome.ok;
      };
      assert.equal(await spend('before', 300), true);
      await ledger.figures(Date.now());
      await own.stop();
      for (let i = 0; i < 20 && connection.client.isReady; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await spend('during-1', 200), true);
      assert.equal(ledger.state(), 'degraded');
      assert.equal(await spend('during-2', 200), true);
      // 300 (seen before the outage) + 400 spent locally: another 400 would pass the limit.
      assert.equal(await spend('during-3', 100), true);
      assert.equal((await ledger.reserve('too-much', [{ budget: 0, tokens: 300, nanoUsd: 0 }], Date.now())).ok, false);
      restarted = await startTestRedis({ mustOwn: true, port: own.port });
      // The new server is empty; what the daemon sends on recovery is what it spent during the outage.
      for (let i = 0; i < 100 && ledger.state() !== 'redis'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(ledger.state(), 'redis');
      assert.equal((await ledger.figures(Date.now()))[0]!.spentTokens, 500);
      await ledger.close();
    } finally {
      await connection.close();
      await restarted?.stop();
      await own.stop();
    }
  });
});
