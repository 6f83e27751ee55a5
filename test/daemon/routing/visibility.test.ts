/**
 * What an operator sees: `GET /v1/switchyard/providers`, the Prometheus gauges, routing
 * decisions in the debug log, and startup errors naming the key of a bad route config.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../../bench/sim/contract';
import { ConfigError } from '../../../daemon/core/config-error';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { chat, closeAll, get, MODEL, post, provider, routingSection, startSims } from './routing-helpers';

describe('routing visibility', () => {
  let sims: Simulator[] = [];
  let daemon: TestDaemon;

  before(async () => {
    sims = await startSims(2, { latencyMs: 20 });
    sims[1]!.configure({ errorRate: 1, errorKinds: ['http500'] });
    daemon = await startTestDaemon(
      provider('a', sims[0]!.url) +
        provider('b', sims[1]!.url) +
        routingSection('[routing.breaker]\nfailure_threshold = 1\ncooldown_ms = 60000') +
        `[routes.chat]\nstrategy = "round-robin"\nhedge = true\ncandidates = [{ provider = "b", model = "${MODEL}" }, { provider = "a", model = "${MODEL}" }]\ndeadline_ms = 9000\n`,
      { logLevel: 'debug' },
    );
    for (let i = 0; i < 3; i++) await post(daemon, '/v1/chat/completions', chat('chat'));
  });
  after(() => closeAll(daemon, sims));

  it('GET /v1/switchyard/providers shows health, breaker, moving-average TTFT, in-flight and error rate per provider+model', async () => {
    const body = await get(daemon, '/v1/switchyard/providers');
    const a = body.providers.find((p: any) => p.provider === 'a' && p.model === MODEL);
    const b = body.providers.find((p: any) => p.provider === 'b' && p.model === MODEL);
    assert.equal(a.health, 'up');
    assert.equal(a.breaker, 'closed');
    assert.ok(a.latencyMsAvg >= 15, `latency ${a.latencyMsAvg}`);
    assert.equal(a.inFlight, 0);
    assert.equal(a.errorRate, 0);
    assert.deepEqual(a.routes, ['chat']);
    assert.equal(b.breaker, 'open');
    assert.equal(b.errorRate, 1);
    assert.equal(b.failures, 1);
    assert.ok(body.providers.some((p: any) => p.provider === 'a' && p.model === 'sim-coder'), 'models not used yet are listed too');
    const { counts, ...route } = body.routes[0];
    assert.deepEqual(route, { name: 'chat', strategy: 'round-robin', allowCloud: false, hedge: true, deadlineMs: 9000, candidates: [`b/${MODEL}`, `a/${MODEL}`] });
    // b failed once (its breaker opened at once, so its retry was skipped) and the request fell back to a.
    assert.deepEqual(counts, { requests: 3, served: 3, retries: 1, fallbacks: 1, hedges: 0, hedgeWins: 0, deadlineExceeded: 0, failed: 0 });
    assert.equal(body.directModels.counts.requests, 0);
  });

  it('exports the same as Prometheus gauges', async () => {
    const metrics: string = await get(daemon, '/metrics');
    assert.match(metrics, new RegExp(`switchyard_breaker_state\\{provider="b",model="${MODEL}"\\} 2`));
    assert.match(metrics, new RegExp(`switchyard_breaker_state\\{provider="a",model="${MODEL}"\\} 0`));
    assert.match(metrics, /switchyard_provider_up\{provider="a"\} 1/);
    assert.match(metrics, new RegExp(`switchyard_ttft_moving_average_seconds\\{provider="a",model="${MODEL}",stream="false"\\} 0\\.0\\d+`));
    assert.match(metrics, new RegExp(`switchyard_candidate_error_rate\\{provider="b",model="${MODEL}"\\} 1`));
    assert.match(metrics, /switchyard_route_events_total\{route="chat",event="fallbacks"\} 1/);
    assert.match(metrics, /switchyard_route_events_total\{route="chat",event="served"\} 3/);
  });

  it('logs routing decisions at debug level', () => {
    const lines = daemon.logs().trim().split('\n').map((line) => JSON.parse(line));
    const chosen = lines.filter((l) => l.msg === 'routing: candidate chosen');
    assert.ok(chosen.length >= 3);
    assert.equal(chosen[0].level, 20);
    assert.equal(chosen[0].route, 'chat');
    assert.equal(chosen[0].strategy, 'round-robin');
    assert.ok(lines.some((l) => l.msg === 'routing: attempt failed' && l.candidate === `b/${MODEL}`));
    assert.ok(lines.some((l) => l.msg === 'routing: served'));
  });
});

describe('route config warnings at startup', () => {
  it('warns, naming the key, about a cloud candidate on a route that does not allow cloud', async (t) => {
    const daemon = await startTestDaemon(
      provider('local', 'http://127.0.0.1:9') + provider('cloud', 'http://127.0.0.1:9', { local: false }) + routingSection() +
        `[routes.chat]\ncandidates = [{ provider = "local", model = "${MODEL}" }, { provider = "cloud", model = "${MODEL}" }]\n`,
      { logLevel: 'warn' },
    );
    t.after(() => daemon.close());
    const warning = daemon.logs().split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((l) => l.level === 40 && /allow_cloud/.test(l.msg));
    assert.ok(warning, daemon.logs());
    assert.match(warning.msg, /^routes\.chat\.candidates\[1\]: "cloud" is a cloud provider and routes\.chat\.allow_cloud is not true/);
  });
});

describe('route config errors at startup', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown provider', `[routes.chat]\ncandidates = [{ provider = "a", model = "${MODEL}" }, { provider = "ghost", model = "m" }]`, /routes\.chat\.candidates\[1\]\.provider: got "ghost"/],
    ['empty candidate list', `[routes.fast]\ncandidates = []`, /routes\.fast\.candidates: got \[\], expected at least one/],
    ['weight not positive', `[routes.chat]\nstrategy = "weighted"\ncandidates = [{ provider = "a", model = "${MODEL}", weight = 0 }]`, /routes\.chat\.candidates\[0\]\.weight: got 0, expected a positive number/],
    ['unknown strategy', `[routes.chat]\nstrategy = "fastest"\ncandidates = [{ provider = "a", model = "${MODEL}" }]`, /routes\.chat\.strategy: got "fastest"/],
    ['bad routing section', `[routing]\nprobe_interval_ms = "often"`, /routing\.probe_interval_ms: got "often"/],
  ];
  for (const [name, toml, expected] of cases) {
    it(`${name}: the daemon does not start, and the error names the key`, async () => {
      await assert.rejects(startTestDaemon(provider('a', 'http://127.0.0.1:9') + toml, { logLevel: 'silent' }), (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, expected);
        return true;
      });
    });
  }
});
