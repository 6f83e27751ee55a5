/**
 * Each upstream fault (errors, 429s, stalls, resets) through a real daemon to real simulators: which candidate served, how
 * many attempts were made, the status or error event, and that the request ended in bounded time.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator, SimulatorOptions } from '../../../bench/sim/contract';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { chat, closeAll, get, MODEL, post, provider, received, routingSection, startSims } from './routing-helpers';

const TIMEOUT = { timeout: 30_000 };

interface Stack {
  daemon: TestDaemon;
  sims: Simulator[];
}

/** Simulators a and b (options each), a daemon with providers a and b, and route `r` = [a, b] with `routeExtra`. */
async function stack(t: TestContext, options: { a?: SimulatorOptions; b?: SimulatorOptions; routeExtra?: string; routing?: string; providerA?: string; aUrl?: string }): Promise<Stack> {
  const [a, b] = await startSims(2);
  a!.configure(options.a ?? {});
  b!.configure(options.b ?? {});
  const sims = [a!, b!];
  let daemon: TestDaemon | undefined;
  t.after(() => closeAll(daemon, sims));
  daemon = await startTestDaemon(
    provider('a', options.aUrl ?? a!.url, { more: options.providerA }) +
      provider('b', b!.url) +
      routingSection(options.routing) +
      `[routes.r]\ncandidates = [{ provider = "a", model = "${MODEL}" }, { provider = "b", model = "${MODEL}" }]\n${options.routeExtra ?? ''}\n`,
    { logLevel: 'warn' },
  );
  return { daemon, sims };
}

/** A loopback URL nothing listens on. */
/**
 * A loopback URL where nothing listens. Port 1 is below the ephemeral range, so no server a
 * concurrent test starts on port 0 can take it (a port freed by closing a simulator can be).
 */
const DEAD_URL = 'http://127.0.0.1:1';

describe('faults', () => {
  it('upstream down (connection refused): retried once, then the next candidate serves', TIMEOUT, async (t) => {
    const { daemon } = await stack(t, { aUrl: DEAD_URL, routeExtra: 'retries = { per_candidate = 1 }' });
    const reply = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(reply.status, 200);
    assert.equal(reply.servedBy, 'b');
    assert.equal(reply.attempts, 3);
    assert.ok(reply.ms < 3_000, `${reply.ms} ms`);
  });

  for (const [fault, status] of [['http500', 500], ['http503', 503]] as const) {
    it(`${status} from the first candidate: retried with backoff, then fallback`, TIMEOUT, async (t) => {
      const { daemon, sims } = await stack(t, { a: { errorRate: 1, errorKinds: [fault] }, routeExtra: 'retries = { per_candidate = 1 }' });
      const reply = await post(daemon, '/v1/chat/completions', chat('r'));
      assert.equal(reply.status, 200);
      assert.equal(reply.servedBy, 'b');
      assert.equal(reply.attempts, 3);
      assert.equal(received(sims[0]!), 2);
      assert.equal(received(sims[1]!), 1);
    });
  }

  it('429 with a short Retry-After: waits for it, retries, then falls back; the candidate is then skipped', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, {
      a: { errorRate: 1, errorKinds: ['http429'], retryAfterSeconds: 1 },
      routeExtra: 'retries = { per_candidate = 1, max_retry_after_ms = 2000 }',
    });
    const reply = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(reply.status, 200);
    assert.equal(reply.servedBy, 'b');
    assert.equal(reply.attempts, 3);
    assert.ok(reply.ms >= 950 && reply.ms < 4_000, `honoured Retry-After: ${reply.ms} ms`);
    const next = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(next.servedBy, 'b');
    assert.equal(next.attempts, 1, 'a is left alone until its Retry-After has passed');
    assert.equal(received(sims[0]!), 2);
  });

  it('429 with a long Retry-After: moves to the next candidate at once; alone, the caller gets 429 with Retry-After', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { a: { errorRate: 1, errorKinds: ['http429'], retryAfterSeconds: 30 } });
    const reply = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(reply.servedBy, 'b');
    assert.equal(reply.attempts, 2);
    assert.ok(reply.ms < 1_500, `${reply.ms} ms`);
    // a alone: it is still backing off, so nothing is sent; the caller gets 429 saying when to come back.
    const pinned = await post(daemon, '/v1/chat/completions', chat(`a/${MODEL}`));
    assert.equal(pinned.status, 429);
    assert.match(pinned.json.error.message, /rate limited for \d+ ms more/);
    assert.ok(Number(pinned.headers['retry-after']) >= 28 && Number(pinned.headers['retry-after']) <= 30, `Retry-After ${pinned.headers['retry-after']}`);
    assert.equal(received(sims[0]!), 1, 'nothing sent while backing off');
    assert.ok(pinned.ms < 1_500);
  });

  it('429 from the only candidate: the caller gets 429 with the upstream’s Retry-After', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { a: { errorRate: 1, errorKinds: ['http429'], retryAfterSeconds: 30 } });
    const reply = await post(daemon, '/v1/chat/completions', chat(`a/${MODEL}`));
    assert.equal(reply.status, 429);
    assert.equal(reply.headers['retry-after'], '30');
    assert.equal(reply.json.error.type, 'rate_limit_error');
    assert.equal(received(sims[0]!), 1);
  });

  it('the caller’s own 4xx (unknown model upstream) is neither retried nor sent elsewhere', TIMEOUT, async (t) => {
    const [a, b] = await startSims(2);
    let daemon: TestDaemon | undefined;
    t.after(() => closeAll(daemon, [a!, b!]));
    daemon = await startTestDaemon(
      provider('a', a!.url, { more: '' }).replace(`models = ["${MODEL}", "sim-coder"]`, 'models = ["ghost"]') +
        provider('b', b!.url).replace(`models = ["${MODEL}", "sim-coder"]`, 'models = ["ghost"]') +
        routingSection() +
        `[routes.r]\ncandidates = [{ provider = "a", model = "ghost" }, { provider = "b", model = "ghost" }]\n`,
      { logLevel: 'warn' },
    );
    const reply = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(reply.status, 404);
    assert.equal(received(a!), 1);
    assert.equal(received(b!), 0);
  });

  it('timeout before the first token (headers never come): the next candidate serves', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { a: { errorRate: 1, errorKinds: ['stall'] }, providerA: 'headers_timeout_ms = 300', routeExtra: 'retries = { per_candidate = 0 }' });
    const reply = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(reply.status, 200);
    assert.equal(reply.servedBy, 'b');
    assert.equal(reply.attempts, 2);
    assert.ok(reply.ms < 2_000, `${reply.ms} ms`);
    await sims[0]!.waitForAbort(undefined, 2_000);
  });

  it('timeout before the first token of a stream (no chunk after the headers): the next candidate serves', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { a: { errorRate: 1, errorKinds: ['stall'] }, providerA: 'headers_timeout_ms = 300\nbody_timeout_ms = 300', routeExtra: 'retries = { per_candidate = 0 }' });
    const reply = await post(daemon, '/v1/chat/completions', chat('r', true));
    assert.equal(reply.status, 200);
    // The head went when a accepted the stream (README, "Streams: when the headers go"); b served it.
    assert.equal(reply.servedBy, 'a');
    assert.equal(received(sims[1]!), 1);
    assert.match(reply.text, /data: \[DONE\]/);
    assert.ok(reply.ms < 2_000, `${reply.ms} ms`);
  });

  it('the deadline expires: 504 in the door’s error shape, and the upstream is aborted', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { a: { errorRate: 1, errorKinds: ['stall'] }, b: { errorRate: 1, errorKinds: ['stall'] } });
    const reply = await post(daemon, '/v1/chat/completions', chat('r'), { 'x-switchyard-deadline-ms': '400' });
    assert.equal(reply.status, 504);
    assert.equal(reply.json.error.type, 'timeout_error');
    assert.ok(reply.ms >= 380 && reply.ms < 1_500, `${reply.ms} ms`);
    await sims[0]!.waitForAbort(undefined, 2_000);
    const ollama = await post(daemon, '/api/chat', { model: 'r', messages: [{ role: 'user', content: 'x' }], stream: false }, { 'x-switchyard-deadline-ms': '300' });
    assert.equal(ollama.status, 504);
    assert.equal(typeof ollama.json.error, 'string');
  });

  it('skips a candidate whose expected time to first token would miss the deadline', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { a: { latencyMs: 300 } });
    assert.equal((await post(daemon, '/v1/chat/completions', chat('r'))).servedBy, 'a');
    const before = received(sims[0]!);
    const reply = await post(daemon, '/v1/chat/completions', chat('r'), { 'x-switchyard-deadline-ms': '150' });
    assert.equal(reply.status, 200);
    assert.equal(reply.servedBy, 'b');
    assert.equal(reply.attempts, 1);
    assert.equal(received(sims[0]!), before, 'a was not even tried');
  });

  it('connection reset: the next candidate serves', TIMEOUT, async (t) => {
    const { daemon } = await stack(t, { a: { errorRate: 1, errorKinds: ['reset'] }, routeExtra: 'retries = { per_candidate = 0 }' });
    const reply = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(reply.status, 200);
    assert.equal(reply.servedBy, 'b');
    assert.equal(reply.attempts, 2);
  });

  it('an upstream dying mid-stream: the client gets an error event, with no silent retry', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { a: { errorRate: 1, errorKinds: ['midstream'], outputTokens: 50 } });
    const reply = await post(daemon, '/v1/chat/completions', chat('r', true));
    assert.equal(reply.status, 200);
    assert.equal(reply.servedBy, 'a');
    assert.match(reply.text, /data: \{"id"/, 'some output went out first');
    assert.match(reply.text, /"error":\{/, 'then an error event');
    assert.equal(received(sims[1]!), 0, 'nothing was retried elsewhere');
    assert.ok(reply.ms < 3_000);

    const ollama = await post(daemon, '/api/chat', { model: 'r', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(ollama.status, 200);
    const lines = ollama.text.trim().split('\n').map((line) => JSON.parse(line));
    assert.ok(lines.length >= 2);
    assert.equal(typeof lines.at(-1).error, 'string');
    assert.equal(received(sims[1]!), 0);
  });

  it('all candidates down: 503 listing what was tried and why', TIMEOUT, async (t) => {
    const { daemon } = await stack(t, { aUrl: DEAD_URL, b: { errorRate: 1, errorKinds: ['http500'] }, routeExtra: 'retries = { per_candidate = 0 }' });
    const reply = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(reply.status, 503);
    assert.ok(reply.json.error.switchyard, reply.text);
    const tried = reply.json.error.switchyard.tried as Array<{ provider: string; outcome: string; reason: string }>;
    assert.deepEqual(tried.map((t) => [t.provider, t.outcome]), [['a', 'failed'], ['b', 'failed']]);
    assert.match(tried[0]!.reason, /connect|ECONNREFUSED|unreachable|refused/i);
    assert.match(tried[1]!.reason, /500|502/);
    assert.match(reply.json.error.message, /a\/sim-chat.*b\/sim-chat/);
    assert.ok(reply.ms < 2_000);
  });

  it('a breaker opens after consecutive failures, skips the candidate, and recovers after its cooldown', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, {
      a: { errorRate: 1, errorKinds: ['http500'] },
      routing: '[routing.breaker]\nfailure_threshold = 2\ncooldown_ms = 400',
      routeExtra: 'retries = { per_candidate = 0 }',
    });
    const [a] = sims as [Simulator];
    for (let i = 0; i < 2; i++) {
      const reply = await post(daemon, '/v1/chat/completions', chat('r'));
      assert.equal(reply.servedBy, 'b');
      assert.equal(reply.attempts, 2);
    }
    const statusOf = async () => (await get(daemon, '/v1/switchyard/providers')).providers.find((p: { provider: string }) => p.provider === 'a');
    assert.equal((await statusOf()).breaker, 'open');
    const skipped = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(skipped.servedBy, 'b');
    assert.equal(skipped.attempts, 1, 'the open breaker keeps a out');
    assert.equal(received(a), 2);

    a.configure({ errorRate: 0 });
    await new Promise((resolve) => setTimeout(resolve, 450));
    assert.equal((await statusOf()).breaker, 'half_open');
    const trial = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(trial.servedBy, 'a', 'one trial request in half-open');
    assert.equal((await statusOf()).breaker, 'closed');
    assert.equal((await post(daemon, '/v1/chat/completions', chat('r'))).servedBy, 'a');
  });

  it('a failed half-open trial opens the breaker again', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, {
      a: { errorRate: 1, errorKinds: ['http503'] },
      routing: '[routing.breaker]\nfailure_threshold = 1\ncooldown_ms = 200',
      routeExtra: 'retries = { per_candidate = 0 }',
    });
    await post(daemon, '/v1/chat/completions', chat('r'));
    await new Promise((resolve) => setTimeout(resolve, 250));
    const trial = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(trial.servedBy, 'b');
    assert.equal(trial.attempts, 2, 'the trial went to a and failed');
    const after = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(after.attempts, 1, 'open again');
    assert.equal(received(sims[0]!), 2);
  });

  it('active health probes mark a provider down, its candidates are skipped, and it comes back by itself', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { routing: 'probe_interval_ms = 50\nprobe_failures_to_down = 1' });
    const [a] = sims as [Simulator];
    const port = a.port;
    const health = async () => (await get(daemon, '/v1/switchyard/providers')).providers.find((p: { provider: string }) => p.provider === 'a').health;
    const waitFor = async (status: string) => {
      for (let i = 0; i < 250 && (await health()) !== status; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(await health(), status);
    };
    await waitFor('up');
    await a.close();
    await waitFor('down');
    const reply = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(reply.servedBy, 'b');
    assert.equal(reply.attempts, 1, 'a down: skipped without a connection attempt');
    const revived = await startSimulator({ port, models: [MODEL], latencyMs: 1 });
    sims.push(revived);
    await waitFor('up');
    assert.equal((await post(daemon, '/v1/chat/completions', chat('r'))).servedBy, 'a');
  });
});

describe('hedging and fallback together', () => {
  it('a hedged route whose first candidate fails at once still falls back to the second', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { a: { errorRate: 1, errorKinds: ['http503'] }, routeExtra: 'hedge = { after_ms = 2000 }\nretries = { per_candidate = 0 }' });
    const reply = await post(daemon, '/v1/chat/completions', chat('r'));
    assert.equal(reply.status, 200);
    assert.equal(reply.servedBy, 'b');
    assert.equal(reply.attempts, 2);
    assert.ok(reply.ms < 1_500, `did not wait for the hedge delay: ${reply.ms} ms`);
    assert.equal(received(sims[1]!), 1);
  });
});

describe('a stream that died is not cached', () => {
  it('the same request after a mid-stream death goes upstream again', TIMEOUT, async (t) => {
    const { daemon, sims } = await stack(t, { a: { errorRate: 1, errorKinds: ['midstream'], outputTokens: 50 } });
    const cacheOn = { 'x-switchyard-cache': 'on' };
    const first = await post(daemon, '/v1/chat/completions', chat('r', true), cacheOn);
    assert.match(first.text, /"error":\{/);
    const second = await post(daemon, '/v1/chat/completions', chat('r', true), cacheOn);
    assert.match(second.text, /"error":\{/);
    assert.notEqual(second.headers['x-switchyard-cache'], 'HIT');
    assert.equal(received(sims[0]!), 2);
  });
});

describe('a candidate that cannot do the request', () => {
  it('fill-in-the-middle on an Anthropic candidate moves to the next candidate; alone, the caller gets the 400', TIMEOUT, async (t) => {
    const [a, b] = await startSims(2);
    let daemon: TestDaemon | undefined;
    t.after(() => closeAll(daemon, [a!, b!]));
    daemon = await startTestDaemon(
      `[[providers]]\nname = "claude"\nkind = "anthropic"\nbase_url = "${a!.url}"\nlocal = true\nmodels = ["sim-coder"]\n` +
        provider('b', b!.url) +
        routingSection() +
        `[routes.fim]\ncandidates = [{ provider = "claude", model = "sim-coder" }, { provider = "b", model = "sim-coder" }]\n`,
      { logLevel: 'warn' },
    );
    const body = { model: 'fim', prompt: 'def f(', suffix: '):\n', max_tokens: 5 };
    const reply = await post(daemon, '/v1/completions', body, { 'x-switchyard-deadline-ms': '5000' });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.servedBy, 'b');
    assert.equal(a!.requests.filter((r) => r.route === 'anthropic.messages').length, 0, 'nothing was sent to the Anthropic candidate');
    const alone = await post(daemon, '/v1/completions', { ...body, model: 'claude/sim-coder' });
    assert.equal(alone.status, 400);
    assert.match(alone.json.error.message, /fill-in-the-middle/);
  });
});
