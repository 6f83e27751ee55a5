import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { request } from 'undici';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { ndjsonLines, sseData } from './wire-helpers';

/** The first token comes this long after the request; the headers are due well before. */
const FIRST_TOKEN_MS = 1_500;
const HEADERS_AFTER_MS = 200;

describe('a stream whose first token is slow gets its headers after the grace period, and errors after that in the stream', () => {
  let slow: Simulator;
  let stalled: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    slow = await startSimulator({ latencyMs: 1, ttftMs: FIRST_TOKEN_MS, outputTokens: 5, tokensPerSecond: 1000, seed: 4, models: ['slow-chat'] });
    stalled = await startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 5, models: ['slow-chat'] });
    stalled.configure({ errorRate: 1, errorKinds: ['stall'] });
    daemon = await startTestDaemon(
      simProviderToml('slow', 'openai', slow.url, 'models = ["slow-chat"]') +
        simProviderToml('slowllama', 'ollama', slow.url, 'models = ["slow-chat"]') +
        // Used by the deadline test alone, so the router has not yet learnt how slow they are.
        simProviderToml('late', 'openai', slow.url, 'models = ["slow-chat"]') +
        simProviderToml('latellama', 'ollama', slow.url, 'models = ["slow-chat"]') +
        simProviderToml('stalled', 'openai', stalled.url, 'models = ["slow-chat"]\nheaders_timeout_ms = 400\nbody_timeout_ms = 400') +
        '[routes.fallback]\nstrategy = "priority"\nretries = { per_candidate = 0, max_attempts = 2 }\ncandidates = [\n  { provider = "stalled", model = "slow-chat" },\n  { provider = "slow", model = "slow-chat" },\n]\n' +
        `[server]\nstream_headers_after_ms = ${HEADERS_AFTER_MS}\n`,
      { logLevel: 'warn' },
    );
  });
  after(async () => {
    await daemon?.close();
    await slow?.close();
    await stalled?.close();
  });

  /** Sends a streamed request; resolves when the response headers arrive, with how long they took and the rest of the body. */
  async function streamed(path: string, body: unknown, headers: Record<string, string> = {}) {
    const started = performance.now();
    const response = await request(`${daemon.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...daemon.auth, ...headers },
      body: JSON.stringify(body),
    });
    const headersAfterMs = performance.now() - started;
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, headersAfterMs, text, totalMs: performance.now() - started };
  }

  const chat = { messages: [{ role: 'user' as const, content: 'take your time' }], stream: true as const };

  it('SSE: headers and a comment before the first token, then the tokens and [DONE]', async () => {
    const reply = await streamed('/v1/chat/completions', { model: 'slow/slow-chat', ...chat });
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^text\/event-stream/);
    assert.ok(reply.headersAfterMs < FIRST_TOKEN_MS - 300, `headers after ${Math.round(reply.headersAfterMs)} ms`);
    assert.ok(reply.totalMs >= FIRST_TOKEN_MS - 50, 'the model was as slow as configured');
    assert.ok(reply.text.startsWith(': waiting for the first token\n\n'), reply.text.slice(0, 80));
    const events = sseData(reply.text);
    assert.equal(events.at(-1), '[DONE]');
    assert.ok((events[0] as Record<string, any>).choices[0].delta.content !== undefined);
  });

  it('NDJSON: headers before the first token, and only JSON lines', async () => {
    const reply = await streamed('/api/chat', { model: 'slowllama/slow-chat', ...chat });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/x-ndjson');
    assert.ok(reply.headersAfterMs < FIRST_TOKEN_MS - 300, `headers after ${Math.round(reply.headersAfterMs)} ms`);
    const lines = ndjsonLines(reply.text);
    assert.equal(lines.at(-1)!.done, true);
    assert.ok(lines.at(-1)!.eval_duration > 0);
  });

  it('the deadline still holds after the headers: it ends the stream with an error event in each door\'s shape', async () => {
    const late = { 'x-switchyard-deadline-ms': '700' };
    const sse = await streamed('/v1/chat/completions', { model: 'late/slow-chat', ...chat }, late);
    assert.equal(sse.status, 200);
    assert.ok(sse.totalMs < FIRST_TOKEN_MS, `ended at the deadline (${Math.round(sse.totalMs)} ms)`);
    const events = sseData(sse.text);
    assert.equal(events.length, 1);
    assert.equal((events[0] as Record<string, any>).error.code, 'deadline_exceeded');

    const ndjson = await streamed('/api/chat', { model: 'latellama/slow-chat', ...chat }, late);
    const lines = ndjsonLines(ndjson.text);
    assert.deepEqual(Object.keys(lines.at(-1)!), ['error']);
    assert.match(lines.at(-1)!.error, /deadline/i);
  });

  it('fallback before the first token still works after the headers went', async () => {
    const reply = await streamed('/v1/chat/completions', { model: 'fallback', ...chat });
    assert.equal(reply.status, 200);
    assert.ok(reply.headersAfterMs < 400, `headers after ${Math.round(reply.headersAfterMs)} ms, before the stalled candidate timed out`);
    const events = sseData(reply.text);
    assert.equal(events.at(-1), '[DONE]', reply.text);
    assert.ok(stalled.requests.length > 0, 'the stalled candidate was tried first');
  });

  it('a client that leaves while waiting for the first token aborts the upstream call', async () => {
    const controller = new AbortController();
    const response = await request(`${daemon.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...daemon.auth },
      body: JSON.stringify({ model: 'slow/slow-chat', ...chat }),
      signal: controller.signal,
    });
    assert.equal(response.statusCode, 200, 'the headers went before the first token');
    const aborted = slow.waitForAbort((r) => r.route === 'openai.chat', 5_000);
    for await (const chunk of response.body) {
      assert.match(String(chunk), /^: waiting/);
      controller.abort();
      break;
    }
    const record = await aborted;
    assert.equal(record.finishedAt, undefined, 'the upstream did not finish');
  });

  it('a stream that starts within the grace period is unchanged: real status, served-by headers', async () => {
    const reply = await streamed('/v1/chat/completions', { model: 'no-such-model', ...chat });
    assert.equal(reply.status, 404);
    // A model that answers at once, on a daemon of its own.
    const fast = await startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 3, models: ['quick'] });
    const quick = await startTestDaemon(simProviderToml('quick', 'openai', fast.url, 'models = ["quick"]') + '[server]\nstream_headers_after_ms = 200\n', { logLevel: 'warn' });
    try {
      const response = await request(`${quick.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...quick.auth },
        body: JSON.stringify({ model: 'quick', ...chat }),
      });
      const text = await response.body.text();
      assert.equal(response.headers['x-switchyard-provider'], 'quick');
      assert.ok(!text.startsWith(':'), 'no waiting comment');
    } finally {
      await quick.close();
      await fast.close();
    }
  });

  it('the official clients read such streams, and see the error when the deadline passes', async () => {
    const openai = new OpenAI({ baseURL: `${daemon.url}/v1`, apiKey: daemon.token, maxRetries: 0 });
    let text = '';
    for await (const chunk of await openai.chat.completions.create({ model: 'slow/slow-chat', messages: chat.messages, stream: true })) text += chunk.choices[0]?.delta.content ?? '';
    assert.ok(text.length > 0);
    await assert.rejects(
      (async () => {
        const stream = await openai.chat.completions.create({ model: 'slow/slow-chat', messages: chat.messages, stream: true }, { headers: { 'X-Switchyard-Deadline-Ms': '700' } });
        for await (const _chunk of stream) {
          // draining until the error event
        }
      })(),
      (error: unknown) => error instanceof OpenAI.APIError && /deadline/i.test(error.message),
    );

    const ollama = new Ollama({ host: daemon.url, headers: daemon.auth });
    let said = '';
    for await (const part of await ollama.chat({ model: 'slowllama/slow-chat', messages: chat.messages, stream: true })) said += part.message.content;
    assert.ok(said.length > 0);
  });
});
