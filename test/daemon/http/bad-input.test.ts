import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

interface Reply {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

describe('bad input gets a clear error in the door\'s shape, and the daemon keeps serving', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 20, tokensPerSecond: 2000 });
    daemon = await startTestDaemon(
      simProviderToml('sim', 'openai', sim.url, 'models = ["sim-chat"]\nheaders_timeout_ms = 500') +
        simProviderToml('simollama', 'ollama', sim.url, 'models = ["sim-coder"]') +
        '[[providers]]\nname = "down"\nkind = "openai"\nbase_url = "http://127.0.0.1:9/v1"\nlocal = true\nmodels = ["down-model"]\n' +
        '[server]\nbody_limit_bytes = 65536\n',
    );
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  async function send(path: string, body: string | object, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await request(`${daemon.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...daemon.auth, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.body.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Streams are checked by text.
    }
    return { status: response.statusCode, body: parsed, text };
  }

  function openAIError(reply: Reply, status: number, pattern: RegExp, param?: string): void {
    assert.equal(reply.status, status, reply.text);
    const error = reply.body.error as { message: string; type: string; param: string | null; code: string | null };
    assert.ok(error, `an OpenAI error object: ${reply.text}`);
    assert.equal(typeof error.type, 'string');
    assert.match(error.message, pattern);
    if (param !== undefined) assert.equal(error.param, param);
  }

  function ollamaError(reply: Reply, status: number, pattern: RegExp): void {
    assert.equal(reply.status, status, reply.text);
    assert.deepEqual(Object.keys(reply.body), ['error']);
    assert.match(String(reply.body.error), pattern);
  }

  async function stillServes(): Promise<void> {
    const ok = await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'still there?' }] });
    assert.equal(ok.status, 200, ok.text);
    const okOllama = await send('/api/generate', { model: 'sim-coder', prompt: 'x', stream: false });
    assert.equal(okOllama.status, 200, okOllama.text);
  }

  it('malformed JSON', async () => {
    openAIError(await send('/v1/chat/completions', '{"model": "sim-chat", "messages": ['), 400, /not valid JSON/);
    ollamaError(await send('/api/chat', '{"model":'), 400, /not valid JSON/);
    await stillServes();
  });

  it('a body sent as a form (`curl -d`, as Ollama\'s reference shows it): the Ollama door reads it as JSON, as Ollama does; the OpenAI door answers 415', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const chat = await send('/api/chat', { model: 'sim-coder', stream: false, messages: [{ role: 'user', content: 'hi' }] }, form);
    assert.equal(chat.status, 200, chat.text);
    assert.equal((chat.body.message as { role: string }).role, 'assistant');
    const broken = await send('/api/generate', '{"model":', form);
    ollamaError(broken, 400, /not valid JSON/);
    assert.doesNotMatch(String(broken.body.error), /content-type is set to 'application\/json'/, 'the message does not claim a content type the client did not send');
    openAIError(await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }] }, form), 415, /Content-Type: application\/json/);
    await stillServes();
  });

  it('stream_options on a request that is not streamed: refused as OpenAI refuses it, naming the parameter', async () => {
    const usage = { stream_options: { include_usage: true } };
    openAIError(await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], ...usage }), 400, /only allowed when 'stream' is enabled/, 'stream_options');
    openAIError(await send('/v1/completions', { model: 'sim-chat', prompt: 'x', stream: false, ...usage }), 400, /only allowed when 'stream' is enabled/, 'stream_options');
    const streamed = await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], stream: true, ...usage });
    assert.equal(streamed.status, 200, streamed.text);
    const unset = await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], stream_options: null });
    assert.equal(unset.status, 200, unset.text);
    await stillServes();
  });

  it('wrong types', async () => {
    openAIError(await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }), 400, /temperature/, 'temperature');
    openAIError(await send('/v1/chat/completions', { model: 42, messages: [{ role: 'user', content: 'x' }] }), 400, /model/, 'model');
    openAIError(await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'wizard', content: 'x' }] }), 400, /messages\[0\]\.role/);
    ollamaError(await send('/api/generate', { model: 'sim-coder', prompt: 5 }), 400, /prompt/);
    await stillServes();
  });

  it('missing messages (on the Ollama door, no messages is the documented load call: a missing model is the error)', async () => {
    openAIError(await send('/v1/chat/completions', { model: 'sim-chat' }), 400, /messages/, 'messages');
    openAIError(await send('/v1/chat/completions', { model: 'sim-chat', messages: [] }), 400, /messages/);
    ollamaError(await send('/api/chat', { messages: [{ role: 'user', content: 'x' }] }), 400, /model/);
    await stillServes();
  });

  it('unknown model', async () => {
    openAIError(await send('/v1/chat/completions', { model: 'gpt-nonexistent', messages: [{ role: 'user', content: 'x' }] }), 404, /gpt-nonexistent/, 'model');
    ollamaError(await send('/api/generate', { model: 'llama-nonexistent', prompt: 'x' }), 404, /llama-nonexistent/);
    await stillServes();
  });

  it('an oversized body gets 413', async () => {
    const huge = { model: 'sim-chat', messages: [{ role: 'user', content: 'x'.repeat(70_000) }] };
    openAIError(await send('/v1/chat/completions', huge), 413, /larger than/);
    ollamaError(await send('/api/chat', huge), 413, /larger than/);
    await stillServes();
  });

  it('an unreachable provider gets 503 with a message naming it', async () => {
    openAIError(await send('/v1/chat/completions', { model: 'down-model', messages: [{ role: 'user', content: 'x' }] }), 503, /down|unreachable|connect/i);
    ollamaError(await send('/api/chat', { model: 'down-model', messages: [{ role: 'user', content: 'x' }], stream: false }), 503, /down|unreachable|connect/i);
    await stillServes();
  });

  it('an upstream that answers garbage gets a 5xx that says so', async () => {
    sim.configure({ errorRate: 1, errorKinds: ['garbage'] });
    try {
      // After its retries, the router reports every attempt and why it failed.
      openAIError(await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }] }), 503, /not its protocol/);
      ollamaError(await send('/api/generate', { model: 'sim-coder', prompt: 'x', stream: false }), 503, /not its protocol/);
    } finally {
      sim.configure({ errorRate: 0 });
    }
    await stillServes();
  });

  it('an upstream that closes mid-stream ends the client stream with an error event, not a clean end', async () => {
    sim.configure({ errorRate: 1, errorKinds: ['midstream'] });
    try {
      const sse = await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], stream: true });
      assert.equal(sse.status, 200);
      const events = sse.text.split('\n\n').filter(Boolean);
      assert.ok(events.length >= 2, sse.text);
      assert.ok(!sse.text.includes('[DONE]'), 'a cut stream must not end with [DONE]');
      const last = JSON.parse(events.at(-1)!.replace(/^data: /, '')) as { error?: { message: string } };
      assert.ok(last.error?.message, `the last event is an error: ${events.at(-1)}`);

      const ndjson = await send('/api/generate', { model: 'sim-coder', prompt: 'x' });
      assert.equal(ndjson.status, 200);
      const lines = ndjson.text.trim().split('\n').map((line) => JSON.parse(line) as { done?: boolean; error?: string });
      assert.ok(!lines.some((line) => line.done === true), 'no done:true line');
      assert.ok(lines.at(-1)!.error, `the last line is an error: ${ndjson.text}`);
    } finally {
      sim.configure({ errorRate: 0 });
    }
    await stillServes();
  });

  it('an upstream that stalls gets a timeout error within the configured headers timeout', async () => {
    sim.configure({ errorRate: 1, errorKinds: ['stall'] });
    const started = Date.now();
    try {
      const reply = await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }] });
      assert.ok(reply.status === 503 || reply.status === 504, reply.text);
      openAIError(reply, reply.status, /time|timed out/i);
    } finally {
      sim.configure({ errorRate: 0 });
    }
    assert.ok(Date.now() - started < 5_000);
    await stillServes();
  });

  it('an unknown route gets a 404 in the door\'s shape', async () => {
    openAIError(await send('/v1/nothing', {}), 404, /No route/);
    ollamaError(await send('/api/nothing', {}), 404, /No route/);
  });
});
