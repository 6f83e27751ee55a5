/**
 * A pooled connection the server closed after its last response (while advertising keep-alive)
 * fails the next request before any response byte. That request is sent again at once on a
 * fresh connection: no backoff, no second attempt in the gateway's eyes, nothing counted
 * against the provider. A connection that fails when fresh is still a failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { get, post, routingSection } from '../routing/routing-helpers';

const MODEL = 'sim-chat';

async function figures(daemon: TestDaemon, provider: string): Promise<any> {
  const body = await get(daemon, '/v1/switchyard/providers');
  return body.providers.find((p: any) => p.provider === provider && p.model === MODEL);
}

describe('a keep-alive connection the server closed', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    // Every reuse lands in the 50 ms between a response and the close.
    sim = await startSimulator({ ttftMs: 1, outputTokens: 5, closeAfterResponseMs: 50, models: [MODEL] });
    daemon = await startTestDaemon(
      simProviderToml('llama', 'llamacpp', sim.url, `models = ["${MODEL}"]\nmax_connections = 2`) +
        simProviderToml('oai', 'openai', sim.url, `models = ["${MODEL}"]`) +
        // A backoff would show: one second per retry.
        routingSection().replace('base_delay_ms = 5, max_delay_ms = 20', 'base_delay_ms = 1000, max_delay_ms = 1000'),
    );
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  for (const provider of ['llama', 'oai']) {
    it(`${provider}: requests on closed connections are re-sent at once, with one attempt and no failure counted`, async () => {
      const requests: Array<[string, object]> = [
        ['/v1/chat/completions', { model: `${provider}/${MODEL}`, messages: [{ role: 'user', content: 'hi' }], stream: true }],
        ['/v1/completions', { model: `${provider}/${MODEL}`, prompt: 'once', stream: true }],
        ['/api/generate', { model: `${provider}/${MODEL}`, prompt: 'once' }],
        ['/v1/chat/completions', { model: `${provider}/${MODEL}`, messages: [{ role: 'user', content: 'hi' }] }],
      ];
      sim.reset();
      for (let round = 0; round < 2; round++) {
        for (const [path, body] of requests) {
          const reply = await post(daemon, path, body);
          assert.equal(reply.status, 200, reply.text);
          assert.equal(reply.attempts, 1, `${path}: no retry in the gateway`);
          assert.ok(reply.ms < 900, `${path} took ${reply.ms} ms: no backoff`);
        }
      }
      const seen = await figures(daemon, provider);
      assert.equal(seen.failures, 0);
      assert.equal(seen.errorRate, 0);
      assert.equal(seen.breaker, 'closed');
      assert.equal(seen.requests, 2 * requests.length);
      // Each request reached the model once: the re-sent ones were never read the first time.
      const generations = sim.requests.filter((r) => /chat|completion|generate|infill/.test(r.route));
      assert.equal(generations.length, 2 * requests.length);
    });
  }

  it('a connection that fails when fresh is a failure, counted as before', async () => {
    sim.configure({ errorRate: 1, errorKinds: ['reset'] });
    try {
      const reply = await post(daemon, '/v1/chat/completions', { model: `oai/${MODEL}`, messages: [{ role: 'user', content: 'hi' }], stream: true }, { 'x-switchyard-deadline-ms': '5000' });
      assert.notEqual(reply.status, 200);
      assert.ok((await figures(daemon, 'oai')).failures >= 1);
    } finally {
      sim.configure({ errorRate: 0 });
    }
  });
});
