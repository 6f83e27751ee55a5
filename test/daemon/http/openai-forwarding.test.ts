/**
 * A stream from an OpenAI-compatible upstream through the OpenAI door goes on as the upstream's
 * bytes (daemon/core/byte-stream.ts). These tests script the upstream's bytes exactly (where a
 * read ends, line endings, spacing, what it leaves out) with a plain HTTP server, and read the
 * daemon's answer as bytes and through the official client.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { sseData } from './wire-helpers';

type Script = (body: Record<string, any>, response: ServerResponse, call: number) => Promise<void> | void;

/** An OpenAI-compatible server whose streamed answers the current test writes. */
async function scriptedUpstream() {
  let script: Script = () => {};
  const bodies: Record<string, any>[] = [];
  const server: Server = createServer(async (request, response) => {
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model', created: 0, owned_by: 'test' }] }));
      return;
    }
    let text = '';
    for await (const chunk of request) text += chunk;
    const body = JSON.parse(text) as Record<string, any>;
    bodies.push(body);
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    await script(body, response, bodies.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    play(next: Script) {
      script = next;
      bodies.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const ID = 'chatcmpl-scripted1';

/** One chunk as an OpenAI-compatible server writes it; `spaced` writes JSON as Python's json.dumps does. */
function chunk(delta: Record<string, unknown>, finish: string | null = null, { spaced = false } = {}): string {
  const value = { id: ID, object: 'chat.completion.chunk', created: 1700000000, model: 'scripted', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null };
  return spaced ? JSON.stringify(value).replace(/":/g, '": ').replace(/,"/g, ', "') : JSON.stringify(value);
}

const USAGE_EVENT = JSON.stringify({ id: ID, object: 'chat.completion.chunk', created: 1700000000, model: 'scripted', choices: [], usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 } });

function events(datas: string[], lineEnd = '\n'): string {
  return datas.map((data) => `data: ${data}${lineEnd}${lineEnd}`).join('');
}

const HELLO = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop')];

/** Writes `text` in pieces of `size` characters, one event-loop turn apart: reads end anywhere. */
async function writeInPieces(response: ServerResponse, text: string, size: number): Promise<void> {
  for (let at = 0; at < text.length; at += size) {
    response.write(text.slice(at, at + size));
    await new Promise((resolve) => setImmediate(resolve));
  }
  response.end();
}

describe('OpenAI door: an OpenAI-compatible upstream\'s stream forwarded as its bytes', () => {
  let upstream: Awaited<ReturnType<typeof scriptedUpstream>>;
  let daemon: TestDaemon;
  let client: OpenAI;

  before(async () => {
    upstream = await scriptedUpstream();
    daemon = await startTestDaemon(
      `[[providers]]\nname = "scripted"\nkind = "openai"\nbase_url = "${upstream.url}/v1"\nlocal = true\nmodels = ["scripted"]\n` +
        '[[budgets]]\nname = "all-tokens"\nscope = "all"\nwindow = "day"\nlimit_tokens = 1000000\naction = "block"\n',
    );
    client = new OpenAI({ baseURL: `${daemon.url}/v1`, apiKey: daemon.token, maxRetries: 0 });
  });
  after(async () => {
    await daemon?.close();
    await upstream?.close();
  });
  beforeEach(() => upstream.play(() => {}));

  const post = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${daemon.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...daemon.auth, 'content-type': 'application/json', 'x-switchyard-cache': 'off', ...headers },
      body: JSON.stringify({ model: 'scripted', messages: [{ role: 'user', content: 'Say hello' }], stream: true, ...body }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  // The upstream's line ends reach the client as they are; the helper reads LF.
  const contentOf = (text: string) =>
    sseData(text.replace(/\r\n/g, '\n'))
      .filter((event): event is Record<string, any> => event !== '[DONE]' && Array.isArray(event.choices) && event.choices.length > 0)
      .map((event) => event.choices[0].delta?.content ?? '')
      .join('');

  it('reads that end anywhere, CRLF line ends and spaced JSON: the client gets every token, and the usage fields only when it asked', async () => {
    const body = events([HELLO[0]!, chunk({ content: 'Hel' }, null, { spaced: true }), ...HELLO.slice(2), USAGE_EVENT, '[DONE]'], '\r\n');
    upstream.play((_body, response) => writeInPieces(response, body, 7));

    const plain = await post({});
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('x-switchyard-provider'), 'scripted');
    assert.equal(contentOf(plain.text), 'Hello');
    assert.ok(!plain.text.includes('usage'), `no usage key unless asked for:\n${plain.text}`);
    assert.equal(sseData(plain.text.replace(/\r\n/g, '\n')).at(-1), '[DONE]');
    assert.ok(plain.text.includes('\r\n'), 'the bytes are the upstream\'s');
    assert.deepEqual(upstream.bodies[0]!.stream_options, { include_usage: true }, 'the gateway asks the upstream for the usage all the same');

    const stream = await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'Say hello' }], stream: true, stream_options: { include_usage: true } }, { headers: { 'x-switchyard-cache': 'off' } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const part of stream) {
      text += part.choices[0]?.delta?.content ?? '';
      if (part.usage) usage = part.usage;
    }
    assert.equal(text, 'Hello');
    assert.deepEqual(usage, { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 });
  });

  it('the first token reaches the client while the upstream is still writing', async () => {
    let firstTokenSeen!: () => void;
    const seen = new Promise<void>((resolve) => (firstTokenSeen = resolve));
    upstream.play(async (_body, response) => {
      response.write(events(HELLO.slice(0, 2)));
      // The rest waits until the client has the first token (or 5 s, and the test fails).
      await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 5000))]);
      response.end(events([...HELLO.slice(2), USAGE_EVENT, '[DONE]']));
    });
    const response = await fetch(`${daemon.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...daemon.auth, 'content-type': 'application/json', 'x-switchyard-cache': 'off' },
      body: JSON.stringify({ model: 'scripted', messages: [{ role: 'user', content: 'Say hello' }], stream: true }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const started = performance.now();
    while (!text.includes('"Hel"')) {
      const { value, done } = await reader.read();
      assert.ok(!done, 'the stream ended before its first token');
      text += decoder.decode(value, { stream: true });
    }
    assert.ok(performance.now() - started < 4000, 'the first token came only once the upstream had finished');
    firstTokenSeen();
    for (let step = await reader.read(); !step.done; step = await reader.read()) text += decoder.decode(step.value, { stream: true });
    assert.equal(contentOf(text), 'Hello');
  });

  it('an upstream that reports no usage: a client that asked gets an estimated usage chunk with the stream\'s id, before [DONE]', async () => {
    upstream.play((_body, response) => {
      response.end(events([...HELLO, '[DONE]']));
    });
    const reply = await post({ stream_options: { include_usage: true } });
    const data = sseData(reply.text);
    assert.equal(data.at(-1), '[DONE]');
    const usageChunk = data.at(-2) as Record<string, any>;
    assert.deepEqual(usageChunk.choices, []);
    assert.equal(usageChunk.id, ID);
    assert.equal(usageChunk.model, 'scripted');
    assert.ok(usageChunk.usage.prompt_tokens > 0 && usageChunk.usage.completion_tokens > 0, JSON.stringify(usageChunk.usage));
    assert.equal(usageChunk.usage.total_tokens, usageChunk.usage.prompt_tokens + usageChunk.usage.completion_tokens);
  });

  it('the head goes when the upstream accepts the request, before its first token', async () => {
    let headersSeen!: () => void;
    const seen = new Promise<void>((resolve) => (headersSeen = resolve));
    upstream.play(async (_body, response) => {
      response.flushHeaders();
      // The first token waits until the client has the head (or 5 s, and the test fails).
      await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 5000))]);
      response.end(events([...HELLO, '[DONE]']));
    });
    const started = performance.now();
    const response = await fetch(`${daemon.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...daemon.auth, 'content-type': 'application/json', 'x-switchyard-cache': 'off' },
      body: JSON.stringify({ model: 'scripted', messages: [{ role: 'user', content: 'Say hello' }], stream: true }),
    });
    assert.ok(performance.now() - started < 4000, 'the head came only with the first token');
    headersSeen();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-switchyard-provider'), 'scripted');
    assert.match(String(response.headers.get('content-type')), /^text\/event-stream/);
    assert.equal(contentOf(await response.text()), 'Hello');
  });

  it('an upstream error event before any output is retried; the client sees only the answer (the head named the upstream that accepted first)', async () => {
    upstream.play((_body, response, call) => {
      if (call === 1) response.end(events([JSON.stringify({ error: { message: 'overloaded', type: 'server_error', param: null, code: null } })]));
      else response.end(events([...HELLO, USAGE_EVENT, '[DONE]']));
    });
    const reply = await post({});
    assert.equal(reply.status, 200);
    assert.equal(upstream.bodies.length, 2);
    assert.equal(reply.headers.get('x-switchyard-attempts'), '1', 'the head went when the first attempt was accepted');
    assert.equal(contentOf(reply.text), 'Hello');
    assert.ok(!reply.text.includes('overloaded'));
    assert.equal(sseData(reply.text).filter((event) => event !== '[DONE]' && (event as Record<string, any>).choices?.[0]?.delta?.role === 'assistant').length, 1, 'the failed attempt sent its client nothing, not even its role chunk');
  });

  it('when every attempt fails before any output after the head went, the stream ends with the door\'s error event', async () => {
    upstream.play((_body, response) => {
      response.end(events([chunk({ role: 'assistant', content: '' }), JSON.stringify({ error: { message: 'overloaded', type: 'server_error', param: null, code: null } })]));
    });
    const reply = await post({});
    assert.equal(reply.status, 200);
    assert.ok(upstream.bodies.length >= 2, `retried (${upstream.bodies.length} calls)`);
    const data = sseData(reply.text);
    assert.equal(data.length, 1, reply.text);
    const error = (data[0] as Record<string, any>).error;
    assert.equal(typeof error.message, 'string');
    assert.equal(typeof error.type, 'string');
    assert.ok(!reply.text.includes('[DONE]'));
  });

  it('an answer without any text (a finish, no content) is an answer, not a failure', async () => {
    upstream.play((_body, response) => {
      response.end(events([chunk({ role: 'assistant', content: '' }), chunk({}, 'stop'), USAGE_EVENT, '[DONE]']));
    });
    const reply = await post({});
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('x-switchyard-attempts'), '1');
    assert.equal(contentOf(reply.text), '');
    assert.equal(sseData(reply.text).at(-1), '[DONE]');
  });

  it('a stream that ends after its finish reason without [DONE] gets one; one cut before it gets the door\'s error event', async () => {
    upstream.play((_body, response) => {
      response.end(events(HELLO));
    });
    const finished = await post({});
    assert.equal(contentOf(finished.text), 'Hello');
    assert.equal(sseData(finished.text).at(-1), '[DONE]');

    upstream.play((_body, response) => {
      response.end(events(HELLO.slice(0, 2)));
    });
    const cut = sseData((await post({})).text);
    const last = cut.at(-1) as Record<string, any>;
    assert.equal(last.error?.code, 'upstream_protocol_error', JSON.stringify(cut));
    assert.ok(!cut.includes('[DONE]'), 'a cut stream must not look whole');
  });

  it('the budget is charged the usage the upstream reported, once', async () => {
    const spent = async () => ((await (await fetch(`${daemon.url}/v1/switchyard/budgets`, { headers: daemon.auth })).json()) as { budgets: { spent: { tokens: number }; reserved: { tokens: number } }[] }).budgets[0]!;
    const before = await spent();
    upstream.play((_body, response) => {
      response.end(events([...HELLO, USAGE_EVENT, '[DONE]']));
    });
    const reply = await post({});
    assert.equal(contentOf(reply.text), 'Hello');
    const now = await spent();
    assert.equal(now.spent.tokens - before.spent.tokens, 13, 'the response ends only once its usage is committed');
    assert.equal(now.reserved.tokens, 0);
  });

  it('a streamed answer the cache stores is read as events, and a hit replays it', async () => {
    upstream.play((_body, response) => {
      response.end(events([...HELLO, USAGE_EVENT, '[DONE]']));
    });
    const first = await post({ temperature: 0 }, { 'x-switchyard-cache': 'on' });
    assert.equal(first.headers.get('x-switchyard-cache'), 'MISS');
    assert.equal(contentOf(first.text), 'Hello');
    const second = await post({ temperature: 0 }, { 'x-switchyard-cache': 'on' });
    assert.equal(second.headers.get('x-switchyard-cache'), 'HIT');
    assert.equal(contentOf(second.text), 'Hello');
    assert.equal(upstream.bodies.length, 1, 'the hit did not call the upstream');
  });
});

describe('OpenAI door with stream_headers_on_accept = false: a forwarded stream\'s head waits for its first token', () => {
  let upstream: Awaited<ReturnType<typeof scriptedUpstream>>;
  let daemon: TestDaemon;

  before(async () => {
    upstream = await scriptedUpstream();
    daemon = await startTestDaemon(
      `[[providers]]\nname = "scripted"\nkind = "openai"\nbase_url = "${upstream.url}/v1"\nlocal = true\nmodels = ["scripted"]\n` + '[server]\nstream_headers_on_accept = false\n',
    );
  });
  after(async () => {
    await daemon?.close();
    await upstream?.close();
  });

  const post = async () => {
    const response = await fetch(`${daemon.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...daemon.auth, 'content-type': 'application/json', 'x-switchyard-cache': 'off' },
      body: JSON.stringify({ model: 'scripted', messages: [{ role: 'user', content: 'Say hello' }], stream: true }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const overloaded = JSON.stringify({ error: { message: 'overloaded', type: 'server_error', param: null, code: null } });

  it('a failure before the first output is retried, and the head names the attempt that answered', async () => {
    upstream.play((_body, response, call) => {
      response.end(events(call === 1 ? [overloaded] : [...HELLO, '[DONE]']));
    });
    const reply = await post();
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('x-switchyard-attempts'), '2');
    assert.equal(sseData(reply.text).at(-1), '[DONE]');
    assert.ok(!reply.text.includes('overloaded'));
  });

  it('when every attempt fails before any output, the client gets the failure\'s own status and an OpenAI error body', async () => {
    upstream.play((_body, response) => {
      response.end(events([overloaded]));
    });
    const reply = await post();
    assert.ok(reply.status >= 500, `status ${reply.status}`);
    assert.match(String(reply.headers.get('content-type')), /^application\/json/);
    const body = JSON.parse(reply.text) as { error: { message: string; type: string } };
    assert.equal(typeof body.error.message, 'string');
  });
});
