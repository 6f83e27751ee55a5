import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createClient, type RedisClientType } from '@keyv/redis';
import { EmbeddedLedger } from '../../../daemon/budgets/embedded-ledger';
import type { BudgetDefinition, Hold } from '../../../daemon/budgets/ledger';
import { RedisLedger } from '../../../daemon/budgets/redis-ledger';
import { costNanoUsd, priceFor } from '../../../daemon/budgets/prices';
import { windowPosition } from '../../../daemon/budgets/windows';
import { connectRedis } from '../../../daemon/team/redis-client';
import { startTestRedis, type TestRedis } from '../../helpers/redis-for-tests';

const DAY: BudgetDefinition = { name: 'day', scope: { kind: 'all' }, window: { kind: 'day' }, limitTokens: 1000, action: 'block' };
const MONEY: BudgetDefinition = { name: 'money', scope: { kind: 'all' }, window: { kind: 'month' }, limitNanoUsd: 5_000, action: 'block' };
const NOW = Date.UTC(2026, 10, 26, 12);
const quiet = () => {};
const BOTH: readonly number[] = [0, 1];

describe('embedded ledger', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-ledger-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('matches a simple model under any sequence of reserve, commit, release and repeated settling', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('reserve' as const), tokens: fc.integer({ min: 0, max: 300 }), nano: fc.integer({ min: 0, max: 2000 }) }),
      fc.record({ kind: fc.constant('commit' as const), pick: fc.nat(), tokens: fc.integer({ min: 0, max: 400 }) }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('settle-again' as const), pick: fc.nat(), tokens: fc.integer({ min: 1, max: 400 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ledger = new EmbeddedLedger({ definitions: [DAY, MONEY] }, NOW);
        const room = ledger.room();
        const open: Array<{ hold: Hold; tokens: number; nano: number }> = [];
        const settled: Hold[] = [];
        let spent = 0;
        let spentNano = 0;
        for (const step of ops) {
          const reserved = open.reduce((sum, o) => sum + o.tokens, 0);
          const reservedNano = open.reduce((sum, o) => sum + o.nano, 0);
          if (step.kind === 'reserve') {
            const fitsTokens = step.tokens === 0 || spent + reserved + step.tokens <= 1000;
            const fitsMoney = step.nano === 0 || spentNano + reservedNano + step.nano <= 5000;
            assert.equal(room[0]!.fits(step.tokens, step.nano, NOW) && room[1]!.fits(step.tokens, step.nano, NOW), fitsTokens && fitsMoney);
            const outcome = ledger.reserve(BOTH, step.tokens, step.nano, NOW);
            assert.equal(outcome.ok, fitsTokens && fitsMoney);
            if (outcome.ok) open.push({ hold: outcome, tokens: step.tokens, nano: step.nano });
          } else if (step.kind === 'settle-again') {
            // A hold already committed or released counts nothing, whichever way it is settled again.
            if (settled.length === 0) continue;
            const hold = settled[step.pick % settled.length]!;
            void hold.commit(step.tokens, step.tokens, NOW);
            void hold.release();
          } else if (open.length > 0) {
            const { hold } = open.splice(step.pick % open.length, 1)[0]!;
            if (step.kind === 'commit') {
              void hold.commit(step.tokens, step.tokens, NOW);
              spent += step.tokens;
              spentNano += step.tokens;
            } else {
              void hold.release();
            }
            settled.push(hold);
          }
          const figures = ledger.figures(NOW);
          const nowReserved = open.reduce((sum, o) => sum + o.tokens, 0);
          const nowReservedNano = open.reduce((sum, o) => sum + o.nano, 0);
          for (const figure of figures) {
            assert.equal(figure.spentTokens, spent);
            assert.equal(figure.reservedTokens, nowReserved);
            assert.equal(figure.spentNanoUsd, spentNano);
            assert.equal(figure.reservedNanoUsd, nowReservedNano);
          }
          assert.equal(room[0]!.availableTokens(NOW), 1000 - spent - nowReserved);
          assert.equal(room[0]!.availableNanoUsd(NOW), Number.POSITIVE_INFINITY);
          assert.equal(room[1]!.availableNanoUsd(NOW), 5000 - spentNano - nowReservedNano);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('checks every budget before charging any: a refusal holds nothing and names the budget that had no room', () => {
    const ledger = new EmbeddedLedger({ definitions: [DAY, { ...DAY, name: 'small', limitTokens: 100 }] }, NOW);
    const refused = ledger.reserve(BOTH, 150, 0, NOW);
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.budget, 1);
    assert.equal(!refused.ok && refused.figures.name, 'small');
    assert.deepEqual(
      ledger.figures(NOW).map((figure) => figure.reservedTokens),
      [0, 0],
    );
    assert.equal(ledger.room()[0]!.availableTokens(NOW), 1000);
  });

  it('a warn budget never refuses, and a $0 charge never fails a money limit', () => {
    const warned = new EmbeddedLedger({ definitions: [{ ...DAY, limitTokens: 10, action: 'warn' }] }, NOW);
    assert.equal(warned.reserve([0], 500, 0, NOW).ok, true);
    assert.equal(warned.room()[0]!.availableTokens(NOW), -490);
    const ledger = new EmbeddedLedger({ definitions: [{ ...MONEY, limitNanoUsd: 0 }] }, NOW);
    assert.equal(ledger.reserve([0], 10_000, 0, NOW).ok, true);
    assert.equal(ledger.reserve([0], 1, 1, NOW).ok, false);
  });

  it('survives a restart from its journal, releases open reservations, and drops a cut-off last batch', async () => {
    const path = join(dir, 'restart.journal');
    let ledger = new EmbeddedLedger({ definitions: [DAY], journalPath: path, warn: quiet }, NOW);
    for (let i = 0; i < 10; i++) {
      const hold = ledger.reserve([0], 50, 0, NOW);
      assert.ok(hold.ok);
      hold.commit(7, 0, NOW);
    }
    assert.ok(ledger.reserve([0], 300, 0, NOW).ok);
    await ledger.durable();
    // No close(): as after kill -9, plus half a batch written when the process died.
    appendFileSync(path, 'day 1795651200000 5 0\nday 179');
    ledger = new EmbeddedLedger({ definitions: [DAY], journalPath: path, warn: quiet }, NOW);
    assert.deepEqual(
      (({ spentTokens, reservedTokens }) => ({ spentTokens, reservedTokens }))(ledger.figures(NOW)[0]!),
      { spentTokens: 70, reservedTokens: 0 },
    );
    assert.equal(ledger.room()[0]!.availableTokens(NOW), 930);
    await ledger.close();
    // Compacted on open: one line per live slot, and still the same figures.
    assert.equal(readFileSync(path, 'utf8').split('\n').filter(Boolean).length, 2);
    ledger = new EmbeddedLedger({ definitions: [DAY], journalPath: path, warn: quiet }, NOW);
    assert.equal(ledger.figures(NOW)[0]!.spentTokens, 70);
    await ledger.close();
  });

  it('journals each budget\'s commits in their own window slots, and a restart puts rolling spending back in its buckets', async () => {
    const path = join(dir, 'rolling.journal');
    const ROLLING: BudgetDefinition = { ...DAY, name: 'hourly', window: { kind: 'rolling', hours: 1 } };
    let ledger = new EmbeddedLedger({ definitions: [DAY, ROLLING], journalPath: path, warn: quiet }, NOW);
    for (const [minute, tokens] of [[0, 10], [20, 20], [40, 30]] as const) {
      const at = NOW + minute * 60_000;
      const hold = ledger.reserve(BOTH, 100, 0, at);
      assert.ok(hold.ok);
      hold.commit(tokens, 0, at);
    }
    await ledger.durable();
    const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    const slotsOf = (name: string) => lines.filter((line) => line.startsWith(`${name} `)).map((line) => Number(line.split(' ')[1]));
    assert.deepEqual(new Set(slotsOf('day')), new Set([windowPosition(DAY.window, NOW).slotStart]));
    assert.deepEqual(slotsOf('hourly'), [0, 20, 40].map((minute) => windowPosition(ROLLING.window, NOW + minute * 60_000).slotStart));
    ledger = new EmbeddedLedger({ definitions: [DAY, ROLLING], journalPath: path, warn: quiet }, NOW + 45 * 60_000);
    // 65 minutes on, the first commit has left the rolling hour; 85 minutes on, the second too.
    assert.deepEqual(ledger.figures(NOW + 65 * 60_000).map((figure) => figure.spentTokens), [60, 50]);
    assert.equal(ledger.room()[1]!.availableTokens(NOW + 85 * 60_000), 970);
    assert.equal(ledger.figures(NOW + 85 * 60_000)[1]!.resetsAt, windowPosition(ROLLING.window, NOW + 40 * 60_000).slotStart + 3_600_000);
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
    const hold = ledger.reserve(BOTH, 10, 0, NOW);
    assert.ok(hold.ok);
    hold.commit(10, 0, NOW);
    const later = NOW + 61 * 60_000;
    assert.equal(ledger.figures(NOW + 30 * 60_000)[1]!.spentTokens, 10);
    assert.equal(ledger.room()[1]!.availableTokens(NOW + 30 * 60_000), 990);
    assert.equal(ledger.room()[1]!.availableTokens(later), 1000);
    assert.equal(ledger.figures(later)[1]!.spentTokens, 0);
    assert.equal(ledger.figures(later)[0]!.spentTokens, 10);
    assert.equal(ledger.room()[0]!.availableTokens(NOW + 86_400_000), 1000);
    assert.equal(ledger.figures(NOW + 86_400_000)[0]!.spentTokens, 0);
  });

  it('a reservation that spans a window roll gives back exactly what it held, and its usage counts in the new window', () => {
    const lastMinute = Date.UTC(2026, 10, 30, 23, 59);
    const ledger = new EmbeddedLedger({ definitions: [MONEY, { ...DAY, name: 'rolling', window: { kind: 'rolling', hours: 1 } }] }, lastMinute);
    const before = ledger.reserve(BOTH, 40, 400, lastMinute);
    assert.ok(before.ok);
    const spent = ledger.reserve(BOTH, 40, 400, lastMinute);
    assert.ok(spent.ok);
    spent.commit(30, 300, lastMinute);
    const nextMonth = Date.UTC(2026, 11, 1, 0, 1);
    before.commit(25, 250, nextMonth);
    const [month, rolling] = ledger.figures(nextMonth);
    assert.deepEqual([month!.spentNanoUsd, month!.reservedNanoUsd], [250, 0]);
    assert.deepEqual([rolling!.spentTokens, rolling!.reservedTokens], [55, 0]);
    assert.equal(ledger.room()[0]!.availableNanoUsd(nextMonth), 5_000 - 250);
    assert.equal(ledger.room()[1]!.availableTokens(nextMonth), 1000 - 55);
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
        const hold = await ledger.reserve([0], 50, 0, Date.now());
        if (!hold.ok) return;
        admitted++;
        const actual = 20 + (i % 30);
        committed += actual;
        await hold.commit(actual, 0, Date.now());
        await hold.commit(actual, 0, Date.now()); // counted once
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
    assert.equal((await ledger.reserve([0], 80, 0, now)).ok, true);
    assert.equal((await ledger.room(now))[0]!.availableTokens(now), 20);
    assert.equal((await ledger.reserve([0], 80, 0, now)).ok, false);
    const later = await ledger.reserve([0], 80, 0, now + 11 * 60_000);
    assert.ok(later.ok);
    await later.release();
    await later.commit(80, 0, now + 11 * 60_000); // after a release: counts nothing
    assert.equal((await ledger.figures(now + 11 * 60_000))[0]!.reservedTokens, 0);
    assert.equal((await ledger.figures(now + 11 * 60_000))[0]!.spentTokens, 0);
    assert.equal((await ledger.room(now + 11 * 60_000))[0]!.fits(100, 0, now + 11 * 60_000), true);
  });

  it('a commit that timed out but reached Redis is counted once when it is sent again', { timeout: 60_000 }, async (t) => {
    if (redis === undefined) return t.skip('redis-server is not installed');
    const client = createClient({ url: redis.url }) as RedisClientType;
    const admin = createClient({ url: redis.url }) as RedisClientType;
    clients.push(client, admin);
    await Promise.all([client.connect(), admin.connect()]);
    const definitions: BudgetDefinition[] = [{ ...DAY, name: `retry-${Date.now()}`, limitTokens: 1_000 }];
    const ledger = new RedisLedger({ client, definitions, keyPrefix: 'ledger-test', warn: quiet });
    const hold = await ledger.reserve([0], 100, 0, Date.now());
    assert.ok(hold.ok);
    // Redis holds every write for longer than the ledger waits: the commit times out here, and
    // runs once the pause ends; the ledger, not knowing, sends it again when Redis answers.
    await admin.sendCommand(['CLIENT', 'PAUSE', '3000', 'WRITE']);
    await hold.commit(60, 0, Date.now());
    assert.equal(ledger.state(), 'degraded');
    for (let i = 0; i < 200 && ledger.state() !== 'redis'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(ledger.state(), 'redis');
    const figures = (await ledger.figures(Date.now()))[0]!;
    assert.deepEqual([figures.spentTokens, figures.reservedTokens], [60, 0]);
    await ledger.close();
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
      const spend = async (tokens: number) => {
        const hold = await ledger.reserve([0], 100, 0, Date.now());
        if (hold.ok) await hold.commit(tokens, 0, Date.now());
        return hold.ok;
      };
      assert.equal(await spend(300), true);
      await ledger.figures(Date.now());
      await own.stop();
      for (let i = 0; i < 20 && connection.client.isReady; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await spend(200), true);
      assert.equal(ledger.state(), 'degraded');
      assert.equal(await spend(200), true);
      // 300 (seen before the outage) + 400 spent locally: another 400 would pass the limit.
      assert.equal(await spend(100), true);
      assert.equal((await ledger.reserve([0], 300, 0, Date.now())).ok, false);
      assert.equal((await ledger.room(Date.now()))[0]!.availableTokens(Date.now()), 1_000 - 800);
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
