import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { chatBody, postJson } from './sim-helpers';

describe('recording and client aborts', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ ttftMs: 20, tokensPerSecond: 40, outputTokens: 100, latencyMs: 2000 });
  });
  after(() => sim.close());

  it('records each request with its route, body, headers, model, status, usage and timestamps', async () => {
    sim.reset();
    const before = Date.now();
    await postJson(`${sim.url}/v1/chat/completions`, chatBody('record me', { max_tokens: 2 }), { 'x-trace': 'abc' });
    const [record] = sim.requests;
    assert.equal(sim.requests.length, 1);
    assert.equal(record!.route, 'openai.chat');
    assert.equal(record!.method, 'POST');
    assert.equal(record!.path, '/v1/chat/completions');
    assert.equal(record!.headers['x-trace'], 'abc');
    assert.deepEqual((record!.body as { messages: unknown[] }).messages, [{ role: 'user', content: 'record me' }]);
    assert.equal(record!.model, 'sim-chat');
    assert.equal(record!.stream, false);
    assert.equal(record!.status, 200);
    assert.deepEqual(record!.usage, { promptTokens: 2, completionTokens: 2 });
    assert.ok(record!.receivedAt >= before && record!.startedAt! >= record!.receivedAt && record!.finishedAt! >= record!.startedAt!);
    assert.equal(record!.abortedAt, undefined);
  });

  it('records a client that goes away mid-stream as aborted, and frees its slot', async () => {
    const controller = new AbortController();
    const aborted = sim.waitForAbort((record) => record.stream, 3000);
    const response = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('long stream', { stream: true })),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    const abortAt = Date.now();
    controller.abort();
    const record = await aborted;
    assert.ok(record.abortedAt! >= abortAt - 5 && record.abortedAt! - abortAt < 500, 'recorded promptly');
    assert.equal(record.finishedAt, undefined);
    assert.equal(record.route, 'openai.chat');
    const stats = sim.stats();
    assert.ok(stats.aborted >= 1);
    assert.equal(stats.generating, 0);
    assert.equal(stats.inFlight, 0);
  });

  it('records an abort while a whole reply is still being prepared', async () => {
    const controller = new AbortController();
    const aborted = sim.waitForAbort((record) => !record.stream && record.route === 'ollama.generate', 3000);
    const pending = fetch(`${sim.url}/api/generate`, {
      method: 'POST',
      body: JSON.stringify({ model: 'sim-chat', prompt: 'slow', stream: false }),
      signal: controller.signal,
    });
    let abortAt = 0;
    setTimeout(() => {
      abortAt = Date.now();
      controller.abort();
    }, 50);
    await assert.rejects(pending);
    const record = await aborted;
    assert.ok(record.abortedAt! >= abortAt - 1, 'recorded when the client left, not before');
    assert.equal(record.finishedAt, undefined);
  });

  it('waitForAbort rejects when no abort comes in time', async () => {
    await assert.rejects(sim.waitForAbort((record) => record.route === 'nothing', 50), /no matching client abort/);
  });

  it('with recording off keeps counters only, and reset() clears both', async () => {
    sim.reset();
    sim.recording = false;
    try {
      await postJson(`${sim.url}/v1/chat/completions`, chatBody('a', { max_tokens: 3 }));
      await postJson(`${sim.url}/v1/chat/completions`, chatBody('b', { max_tokens: 3 }));
      assert.equal(sim.requests.length, 0);
      const stats = sim.stats();
      assert.deepEqual([stats.received, stats.completed, stats.completionTokens], [2, 2, 6]);
    } finally {
      sim.recording = true;
    }
    sim.reset();
    assert.deepEqual([sim.stats().received, sim.requests.length], [0, 0]);
  });
});
