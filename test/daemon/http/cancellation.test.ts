import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

describe('cancellation reaches the provider', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    // Slow generation: 20 tokens/s for 200 tokens would take 10 s.
    sim = await startSimulator({ ttftMs: 50, latencyMs: 5_000, tokensPerSecond: 20, outputTokens: 200 });
    daemon = await startTestDaemon(simProviderToml('sim', 'openai', sim.url, 'models = ["sim-chat"]') + simProviderToml('ol', 'ollama', sim.url, 'models = ["sim-coder"]'));
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  async function abortAfterFirstBytes(path: string, body: object, upstreamRoute: string): Promise<void> {
    const controller = new AbortController();
    const started = Date.now();
    const response = await request(`${daemon.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...daemon.auth },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    assert.equal(response.statusCode, 200);
    const aborted = sim.waitForAbort((r) => r.route === upstreamRoute, 5_000);
    for await (const chunk of response.body) {
      assert.ok(chunk.length > 0);
      controller.abort();
      break;
    }
    const record = await aborted;
    assert.ok(record.abortedAt !== undefined);
    assert.equal(record.finishedAt, undefined, 'the provider did not finish generating');
    assert.ok(Date.now() - started < 3_000, 'the abort arrived long before generation would have ended');
  }

  it('a client that stops reading an OpenAI stream aborts the upstream stream', async () => {
    await abortAfterFirstBytes('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], stream: true }, 'openai.chat');
  });

  it('a client that stops reading an Ollama stream aborts the upstream stream', async () => {
    await abortAfterFirstBytes('/api/generate', { model: 'sim-coder', prompt: 'x', suffix: 'y' }, 'ollama.generate');
  });

  it('a client that gives up on a non-streamed request aborts the upstream request', async () => {
    const aborted = sim.waitForAbort((r) => r.route === 'openai.chat' && r.stream === false, 5_000);
    await assert.rejects(
      request(`${daemon.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...daemon.auth },
        body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'x' }] }),
        signal: AbortSignal.timeout(300),
      }),
    );
    const record = await aborted;
    assert.equal(record.finishedAt, undefined);
  });

  it('requests the client left are no longer counted in flight (the daemon can go idle again)', async () => {
    // Runs after the tests above: two streams and a whole request, each left by its client.
    const inFlight = async (): Promise<number> => {
      const response = await request(`${daemon.url}/v1/switchyard/status`, { headers: daemon.auth });
      return ((await response.body.json()) as { inFlightRequests: number }).inFlightRequests;
    };
    const deadline = Date.now() + 3_000;
    let count = await inFlight();
    while (count !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      count = await inFlight();
    }
    assert.equal(count, 0);
  });
});
