import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { chatBody, postJson, suiteSimulators } from './sim-helpers';

/** Sends a streamed chat request and notes when each chunk arrived, in ms from sending. */
function timedStream(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ headersAt: number; chunks: { at: number; text: string }[] }> {
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    const req = request(`${url}/v1/chat/completions`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const headersAt = performance.now() - sent;
      const chunks: { at: number; text: string }[] = [];
      res.setEncoding('utf8');
      res.on('data', (text: string) => chunks.push({ at: performance.now() - sent, text }));
      res.on('end', () => resolve({ headersAt, chunks }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('timing', () => {
  const start = suiteSimulators();

  it('a non-streamed reply takes latencyMs; a header can override it', async () => {
    const sim = await start({ latencyMs: 300 });
    let began = performance.now();
    await postJson(`${sim.url}/v1/chat/completions`, chatBody('x'));
    const took = performance.now() - began;
    assert.ok(took >= 295 && took < 1000, `took ${took} ms`);
    began = performance.now();
    await postJson(`${sim.url}/v1/chat/completions`, chatBody('x'), { 'x-sim-latency-ms': '0' });
    assert.ok(performance.now() - began < 250, 'the header overrode the latency');
  });

  it('a stream sends its first token after ttftMs and the rest at tokensPerSecond', async () => {
    const sim = await start({ ttftMs: 80, tokensPerSecond: 50, outputTokens: 6 });
    const { headersAt, chunks } = await timedStream(sim.url, chatBody('x', { stream: true }));
    // Lower bounds are the simulator's promise (it never sends early); upper bounds only guard
    // against nonsense, since a loaded machine may run timers late (late tokens then go together).
    const tokenChunks = chunks.filter((chunk) => chunk.text.includes('"delta":{"content":"'));
    assert.ok(tokenChunks[0]!.at >= 75 && tokenChunks[0]!.at < 500, `first token at ${tokenChunks[0]!.at} ms`);
    assert.ok(headersAt <= tokenChunks[0]!.at - 10, `headers (${headersAt} ms) come when generation starts, before the first token`);
    const last = chunks.at(-1)!.at;
    const expected = 80 + 5 * 20;
    assert.ok(last >= expected - 5 && last < expected + 500, `last chunk at ${last} ms, expected about ${expected}`);
    // Token i is due at ttft + i * 20 ms, counted from the planned first token, so a late
    // first timer shortens the gap to the next; the sixth token is never early, though.
    assert.ok(tokenChunks.at(-1)!.at >= expected - 5, `the last token came at ${tokenChunks.at(-1)!.at} ms, not before ${expected}`);
    assert.ok(tokenChunks.length >= 2, 'tokens arrive in more than one write');
  });

  it('a non-streamed reply with tokensPerSecond takes ttft + tokens / tps', async () => {
    const sim = await start({ ttftMs: 50, tokensPerSecond: 100, outputTokens: 10 });
    const began = performance.now();
    await postJson(`${sim.url}/v1/chat/completions`, chatBody('x'));
    const took = performance.now() - began;
    assert.ok(took >= 145 && took < 1000, `took ${took} ms, expected about 150`);
  });

  it('without tokensPerSecond a stream arrives all at once after the first-token time', async () => {
    const sim = await start({ ttftMs: 60, outputTokens: 20 });
    const { chunks } = await timedStream(sim.url, chatBody('x', { stream: true }));
    const spread = chunks.at(-1)!.at - chunks[0]!.at;
    assert.ok(chunks[0]!.at >= 55, `first bytes at ${chunks[0]!.at} ms`);
    assert.ok(spread < 50, `everything within ${spread} ms`);
  });

  it('draws latencies from a seeded distribution', async () => {
    const sim = await start({ latencyMs: { dist: 'uniform', minMs: 20, maxMs: 60 } });
    const took: number[] = [];
    for (let i = 0; i < 8; i++) {
      const began = performance.now();
      await postJson(`${sim.url}/v1/chat/completions`, chatBody(`x${i}`));
      took.push(performance.now() - began);
    }
    assert.ok(took.every((ms) => ms >= 19 && ms < 1000), took.join(','));
    assert.ok(Math.max(...took) - Math.min(...took) > 5, 'they vary');
  });
});
