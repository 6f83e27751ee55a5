/**
 * Streamed successes are counted where they end, on every door: a door stops reading at the
 * `end` event, and that must not leave the provider's figures (requests, failures, error rate,
 * breaker, moving-average TTFT) blind to streaming traffic. A client that leaves mid-stream is
 * no provider failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { closeAll, get, MODEL, post, routingSection, startSims } from './routing-helpers';

const N = 3;

const doors: Array<{ name: string; path: string; body: object }> = [
  { name: 'OpenAI chat', path: '/v1/chat/completions', body: { model: MODEL, messages: [{ role: 'user', content: 'hello' }], stream: true } },
  { name: 'OpenAI completions', path: '/v1/completions', body: { model: MODEL, prompt: 'once upon', stream: true, max_tokens: 5 } },
  { name: 'Ollama chat', path: '/api/chat', body: { model: MODEL, messages: [{ role: 'user', content: 'hello' }] } },
  { name: 'Ollama generate', path: '/api/generate', body: { model: MODEL, prompt: 'once upon' } },
];

async function candidate(daemon: TestDaemon): Promise<any> {
  const body = await get(daemon, '/v1/switchyard/providers');
  return body.providers.find((p: any) => p.provider === 'llama' && p.model === MODEL);
}

describe('streamed successes are counted on every door', () => {
  let sims: Simulator[] = [];
  let daemon: TestDaemon;

  before(async () => {
    sims = await startSims(1, { ttftMs: 5, tokensPerSecond: 0, outputTokens: 5 });
    daemon = await startTestDaemon(
      simProviderToml('llama', 'llamacpp', sims[0]!.url, `models = ["${MODEL}"]`) +
        routingSection('[routing.breaker]\nfailure_threshold = 1\ncooldown_ms = 150\n'),
    );
  });
  after(() => closeAll(daemon, sims));

  for (const door of doors) {
    it(`${door.name}: ${N} streamed requests are ${N} requests, no failures, and a TTFT average`, async () => {
      const before = await candidate(daemon);
      for (let i = 0; i < N; i++) {
        const reply = await post(daemon, door.path, door.body);
        assert.equal(reply.status, 200, reply.text);
        assert.doesNotMatch(reply.text, /"error"/);
      }
      const now = await candidate(daemon);
      assert.equal(now.requests - before.requests, N, `requests before ${before.requests}, after ${now.requests}`);
      assert.equal(now.failures, 0);
      assert.equal(now.errorRate, 0);
      assert.equal(now.inFlight, 0);
      assert.equal(now.breaker, 'closed');
      assert.ok(now.ttftMsAvg !== null && now.ttftMsAvg >= 0, `ttft ${now.ttftMsAvg}`);
      const metrics: string = await get(daemon, '/metrics');
      assert.match(metrics, new RegExp(`switchyard_candidate_error_rate\\{provider="llama",model="${MODEL}"\\} 0\\n`));
    });
  }

  it('a streamed success is the half-open trial that closes an open breaker', async () => {
    sims[0]!.configure({ errorRate: 1, errorKinds: ['http500'] });
    const failed = await post(daemon, '/v1/chat/completions', doors[0]!.body);
    assert.equal(failed.status, 503);
    sims[0]!.configure({ errorRate: 0 });
    // The breaker opened; on a loaded machine its cooldown may already have run out when we look.
    let state: string = (await candidate(daemon)).breaker;
    assert.ok(state === 'open' || state === 'half_open', `breaker ${state} after a failure`);
    for (let i = 0; i < 100 && state !== 'half_open'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      state = (await candidate(daemon)).breaker;
    }
    assert.equal(state, 'half_open');
    const trial = await post(daemon, '/api/chat', doors[2]!.body);
    assert.equal(trial.status, 200, trial.text);
    const after = await candidate(daemon);
    assert.equal(after.breaker, 'closed');
    assert.equal(after.inFlight, 0);
  });

  it('a client that leaves mid-stream is not counted against the provider', async () => {
    const sim = sims[0]!;
    sim.configure({ ttftMs: 5, tokensPerSecond: 20, outputTokens: 200 });
    const before = await candidate(daemon);
    for (const door of [doors[0]!, doors[3]!]) {
      const controller = new AbortController();
      const response = await request(`${daemon.url}${door.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-switchyard-cache': 'off', ...daemon.auth },
        body: JSON.stringify(door.body),
        signal: controller.signal,
      });
      assert.equal(response.statusCode, 200);
      const aborted = sim.waitForAbort(undefined, 5_000);
      for await (const chunk of response.body) {
        assert.ok(chunk.length > 0);
        controller.abort();
        break;
      }
      await aborted;
      sim.reset();
    }
    // The gateway notices the abort on its own schedule; wait for the in-flight count to drop.
    let now = await candidate(daemon);
    for (let i = 0; i < 50 && now.inFlight !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      now = await candidate(daemon);
    }
    sim.configure({ tokensPerSecond: 0, outputTokens: 5 });
    assert.equal(now.inFlight, 0);
    assert.equal(now.failures, before.failures);
    assert.equal(now.requests, before.requests, 'an abandoned stream is neither a success nor a failure');
    assert.equal(now.breaker, 'closed');
  });
});
