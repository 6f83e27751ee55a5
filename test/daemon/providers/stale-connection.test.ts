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
import { createProvider } from '../../../daemon/providers/create-provider';
import { get, post, routingSection } from '../routing/routing-helpers';
import { sendJson, settingsFor, startWireServer } from './wire-server';

const MODEL = 'sim-chat';

async function figures(daemon: TestDaemon, provider: string): Promise<any> {
  const body = await get(daemon, '/v1/switchyard/providers');
  return body.providers.find((p: any) => p.provider === provider && p.model === MODEL);
}

describe('a keep-alive connection the server closed', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    // Every reuse lands in the 250 ms between a response and the close (a refused request waits for it).
    sim = await startSimulator({ ttftMs: 1, outputTokens: 5, closeAfterResponseMs: 250, models: [MODEL] });
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
          // A backoff would add 500 to 1000 ms; waiting for the close adds at most 250.
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
      assert.ok(sim.stats().refused > 0, 'requests did land on closed connections');
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

describe('a reused connection reset under a request', () => {
  it('ECONNRESET on a connection that had served a reply: sent again at once on a fresh one, and a reset on a fresh one is an error', async () => {
    const servedOn = new WeakSet<object>();
    let resetFresh = false;
    const server = await startWireServer((_req, res) => {
      const socket = res.socket!;
      // A connection that already served a reply, or any connection once told to, answers with a TCP reset.
      if (servedOn.has(socket) || resetFresh) {
        socket.resetAndDestroy();
        return;
      }
      servedOn.add(socket);
      sendJson(res, 200, { id: 'c1', object: 'chat.completion', created: 1, model: MODEL, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } });
    });
    const provider = createProvider(settingsFor('openai', server.url, { maxConnections: 1 }));
    const call = () => provider.complete({ request: { kind: 'chat', model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: false, params: {} }, model: MODEL, signal: AbortSignal.timeout(5_000) });
    try {
      assert.equal((await call()).text, 'ok');
      assert.equal((await call()).text, 'ok', 'the reset on the reused connection was not the caller\'s problem');
      assert.equal(server.requests.length, 3);
      assert.notEqual(server.requests[1]!.remotePort, server.requests[2]!.remotePort, 'sent again on a fresh connection');
      resetFresh = true;
      await assert.rejects(call(), (error: { code?: string }) => error.code === 'upstreamUnavailable');
    } finally {
      await provider.close();
      await server.close();
    }
  });
});
