import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { spawnCli, type SpawnedCli } from '../../helpers/spawn-cli';
import { redisKeys, startTestRedis, type TestRedis } from '../../helpers/redis-for-tests';

interface Daemon {
  cli: SpawnedCli;
  url: string;
  token: string;
  dir: string;
}

async function startDaemons(count: number, toml: string): Promise<Daemon[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'switchyard-team-'));
      writeFileSync(join(dir, 'config.toml'), `[discovery]\nlocal = false\ncloud_from_env = false\n[log]\nlevel = "warn"\n${toml}`);
      const cli = spawnCli(['daemon', '--port', '0', '--state-dir', join(dir, 'state'), '--config', join(dir, 'config.toml')]);
      const ready = await cli.ready;
      const state = JSON.parse(readFileSync(join(dir, 'state', 'daemon.json'), 'utf8')) as { token: string };
      return { cli, url: ready.url as string, token: state.token, dir };
    }),
  );
}

async function stopDaemons(daemons: Daemon[]): Promise<void> {
  await Promise.all(
    daemons.map(async (daemon) => {
      daemon.cli.child.kill('SIGTERM');
      await daemon.cli.exited;
      rmSync(daemon.dir, { recursive: true, force: true });
    }),
  );
}

async function post(daemon: Daemon, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${daemon.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, cache: response.headers.get('x-switchyard-cache') };
}

/** Runs `total` calls with at most `concurrency` at once. */
async function pool<T>(total: number, concurrency: number, call: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        results[index] = await call(index);
      }
    }),
  );
  return results;
}

function providerToml(simUrl: string): string {
  return `[[providers]]\nname = "cloud"\nkind = "openai"\nbase_url = "${simUrl}/v1"\nlocal = false\nmodels = ["gpt-4o"]\n`;
}

describe('team mode: several daemons sharing one Redis', () => {
  let sim: Simulator;
  let redis: TestRedis | undefined;

  before(async () => {
    sim = await startSimulator({ latencyMs: { dist: 'uniform', minMs: 1, maxMs: 5 }, outputTokens: { min: 4, max: 12 }, seed: 3, models: ['gpt-4o'] });
    redis = await startTestRedis({ mustOwn: true });
  });
  after(async () => {
    await redis?.stop();
    await sim?.close();
  });

  it('three daemons, 1,000 requests each at once against one budget: the ledger equals the simulator\'s usage, never overshooting', { timeout: 240_000 }, async (t) => {
    if (redis === undefined) return t.skip('redis-server is not installed');
    const limit = 30_000;
    const perDaemonConcurrency = 40;
    const maxTokens = 12;
    const daemons = await startDaemons(
      3,
      `[team]\nredis_url = "${redis.url}"\nkey_prefix = "team-test"\n${providerToml(sim.url)}` +
        `[[budgets]]\nname = "team-tokens"\nscope = "provider"\nproviders = ["cloud"]\nwindow = "day"\nlimit_tokens = ${limit}\naction = "block"\n`,
    );
    try {
      sim.reset();
      const outcomes = (
        await Promise.all(
          daemons.map((daemon, d) =>
            pool(1000, perDaemonConcurrency, (i) =>
              post(daemon, { model: 'gpt-4o', max_tokens: maxTokens, messages: [{ role: 'user', content: `daemon ${d} request ${i} spends` }] }, { 'x-switchyard-cache': 'off' }),
            ),
          ),
        )
      ).flat();
      const statuses = new Map<number, number>();
      for (const outcome of outcomes) statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      assert.deepEqual([...statuses.keys()].sort(), [200, 429], JSON.stringify([...statuses]));
      const served = sim.requests.filter((r) => r.usage !== undefined);
      assert.equal(served.length, statuses.get(200));
      const simTokens = served.reduce((sum, r) => sum + r.usage!.promptTokens + r.usage!.completionTokens, 0);

      const reports = await Promise.all(
        daemons.map(async (daemon) => (await (await fetch(`${daemon.url}/v1/switchyard/budgets`, { headers: { authorization: `Bearer ${daemon.token}` } })).json()) as {
          ledger: string;
          budgets: Array<{ spent: { tokens: number }; reserved: { tokens: number } }>;
        }),
      );
      for (const report of reports) {
        assert.equal(report.ledger, 'redis');
        assert.equal(report.budgets[0]!.spent.tokens, simTokens, 'every daemon sees the one shared ledger, equal to what the simulator served');
        assert.equal(report.budgets[0]!.reserved.tokens, 0);
      }
      // Admission needs room for the whole reservation, so only an estimate that came in under
      // the actual usage can push past the limit, by at most what was in flight at once.
      const inFlightAtOnce = 3 * perDaemonConcurrency;
      const largestRequest = Math.max(...served.map((r) => r.usage!.promptTokens + r.usage!.completionTokens));
      assert.ok(simTokens <= limit + inFlightAtOnce * largestRequest, `spent ${simTokens} against a limit of ${limit}`);
      assert.ok(simTokens >= limit - inFlightAtOnce * 40, `spent ${simTokens}: the budget was not used up`);
      const rejected = outcomes.find((outcome) => outcome.status === 429)!;
      assert.match(rejected.text, /team-tokens/);
    } finally {
      await stopDaemons(daemons);
    }
  });

  it('an answer one daemon fetched is a hit on another, and a DELETE on one reaches the others', { timeout: 60_000 }, async (t) => {
    if (redis === undefined) return t.skip('redis-server is not installed');
    const prefix = `share-test-${Date.now()}`;
    const [a, b] = await startDaemons(2, `[team]\nredis_url = "${redis.url}"\nkey_prefix = "${prefix}"\n${providerToml(sim.url)}`);
    try {
      const body = { model: 'gpt-4o', temperature: 0, max_tokens: 8, messages: [{ role: 'user', content: 'shared answer' }] };
      assert.equal((await post(a!, body)).cache, 'MISS');
      // The answer goes to Redis after the response (write-behind): b is asked once it is there.
      for (let i = 0; i < 100 && redisKeys(redis.url, `${prefix}:cache:*`).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal((await post(b!, body)).cache, 'HIT');
      assert.equal((await post(b!, body)).cache, 'HIT');
      const removed = await fetch(`${a!.url}/v1/switchyard/cache?model=gpt-4o`, { method: 'DELETE', headers: { authorization: `Bearer ${a!.token}` } });
      assert.equal(removed.status, 200);
      let status = '';
      for (let i = 0; i < 50 && status !== 'MISS'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = (await fetch(`${b!.url}/v1/switchyard/cache`, { headers: { authorization: `Bearer ${b!.token}` } }).then((r) => r.json()) as { entries: number }).entries === 0 ? 'MISS' : '';
      }
      assert.equal((await post(b!, body)).cache, 'MISS');
    } finally {
      await stopDaemons([a!, b!]);
    }
  });

  it('killing Redis mid-run degrades the cache to the embedded store with no failed request, and it returns when Redis does', { timeout: 120_000 }, async (t) => {
    if (redis === undefined) return t.skip('redis-server is not installed');
    const daemons = await startDaemons(2, `[team]\nredis_url = "${redis.url}"\nkey_prefix = "degrade-test"\n${providerToml(sim.url)}`);
    const auth = (daemon: Daemon) => ({ authorization: `Bearer ${daemon.token}` });
    try {
      let killed = false;
      const outcomes = await pool(1200, 30, async (i) => {
        if (i === 400 && !killed) {
          killed = true;
          await redis!.stop();
        }
        const daemon = daemons[i % daemons.length]!;
        return post(daemon, { model: 'gpt-4o', temperature: 0, max_tokens: 8, messages: [{ role: 'user', content: `question ${i < 400 ? i % 50 : i % 300}` }] });
      });
      assert.deepEqual(
        outcomes.filter((outcome) => outcome.status !== 200).map((outcome) => outcome.text),
        [],
      );
      assert.ok(outcomes.some((outcome) => outcome.cache === 'HIT'));
      for (const daemon of daemons) {
        const status = (await (await fetch(`${daemon.url}/v1/switchyard/cache`, { headers: auth(daemon) })).json()) as { store: { state: string; degradations: number } };
        assert.equal(status.store.state, 'degraded');
        assert.ok(status.store.degradations >= 1);
        const metrics = await (await fetch(`${daemon.url}/metrics`, { headers: auth(daemon) })).text();
        assert.match(metrics, /switchyard_cache_store_degradations_total\{store="redis"\} [1-9]/);
      }
      redis = await startTestRedis({ mustOwn: true, port: redis.port });
      for (const daemon of daemons) {
        let state = '';
        for (let i = 0; i < 100 && state !== 'redis'; i++) {
          await post(daemon, { model: 'gpt-4o', temperature: 0, max_tokens: 8, messages: [{ role: 'user', content: 'after the outage' }] });
          state = ((await (await fetch(`${daemon.url}/v1/switchyard/cache`, { headers: auth(daemon) })).json()) as { store: { state: string } }).store.state;
          if (state !== 'redis') await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(state, 'redis');
      }
    } finally {
      await stopDaemons(daemons);
    }
  });
});
