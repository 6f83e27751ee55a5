import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { startDaemon, type RunningDaemon } from '../../../daemon/lifecycle/run-daemon';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

const MODELS = 'models = ["sim-chat", "sim-coder"]';

async function post(daemon: { url: string; token: string }, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${daemon.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, cache: response.headers.get('x-switchyard-cache'), type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The assistant text of an OpenAI SSE body. */
function sseText(body: string): string {
  let text = '';
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as { choices: Array<{ delta?: { content?: string }; text?: string }> };
    text += chunk.choices[0]?.delta?.content ?? chunk.choices[0]?.text ?? '';
  }
  return text;
}

/** The text of an Ollama NDJSON body (chat or generate). */
function ndjsonText(body: string): { text: string; done: boolean } {
  let text = '';
  let done = false;
  for (const line of body.split('\n').filter(Boolean)) {
    const chunk = JSON.parse(line) as { message?: { content: string }; response?: string; done: boolean };
    text += chunk.message?.content ?? chunk.response ?? '';
    done ||= chunk.done;
  }
  return { text, done };
}

function upstreamCount(sim: Simulator): number {
  return sim.requests.filter((r) => !r.route.endsWith('models') && !r.route.endsWith('tags')).length;
}

describe('response cache over HTTP', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 12, seed: 11 });
    daemon = await startTestDaemon(simProviderToml('sim', 'openai', sim.url, MODELS) + simProviderToml('simo', 'ollama', sim.url, MODELS));
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  it('replays a hit as JSON and as OpenAI SSE, with X-Switchyard-Cache', async () => {
    const body = { model: 'sim/sim-chat', temperature: 0, messages: [{ role: 'user', content: 'replay me' }] };
    const before = upstreamCount(sim);
    const first = await post(daemon, '/v1/chat/completions', body);
    assert.equal(first.cache, 'MISS');
    const text = (JSON.parse(first.text) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
    const again = await post(daemon, '/v1/chat/completions', { ...body, user: 'someone-else' });
    assert.equal(again.cache, 'HIT');
    assert.equal((JSON.parse(again.text) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content, text);
    const streamed = await post(daemon, '/v1/chat/completions', { ...body, stream: true });
    assert.equal(streamed.cache, 'HIT');
    assert.match(streamed.type, /text\/event-stream/);
    assert.equal(sseText(streamed.text), text);
    assert.match(streamed.text, /data: \[DONE\]/);
    assert.equal(upstreamCount(sim) - before, 1);
  });

  it('a streamed answer is stored even though the door stops reading at its end event', async () => {
    const before = upstreamCount(sim);
    for (const [path, body] of [
      ['/v1/chat/completions', { model: 'sim/sim-chat', temperature: 0, stream: true, messages: [{ role: 'user', content: 'store my stream' }] }],
      ['/v1/completions', { model: 'sim/sim-chat', temperature: 0, stream: true, prompt: 'store my completion stream' }],
      ['/api/chat', { model: 'simo/sim-chat', options: { temperature: 0 }, messages: [{ role: 'user', content: 'store my ndjson' }] }],
      ['/api/generate', { model: 'simo/sim-chat', options: { temperature: 0 }, prompt: 'store my generate' }],
    ] as const) {
      const first = await post(daemon, path, body);
      assert.equal(first.cache, 'MISS', path);
      const again = await post(daemon, path, body);
      assert.equal(again.cache, 'HIT', path);
      assert.equal(again.text.length > 0, true);
    }
    assert.equal(upstreamCount(sim) - before, 4);
  });

  it('a hit is a response of its own: a fresh id and created time, the same content', async () => {
    const body = { model: 'sim/sim-chat', temperature: 0, messages: [{ role: 'user', content: 'who am I' }] };
    const first = await post(daemon, '/v1/chat/completions', body);
    assert.equal(first.cache, 'MISS');
    // `created` counts seconds: the hit comes in a later one.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const hit = await post(daemon, '/v1/chat/completions', body);
    assert.equal(hit.cache, 'HIT');
    const a = JSON.parse(first.text) as { id: string; created: number; choices: unknown[]; usage: unknown };
    const b = JSON.parse(hit.text) as { id: string; created: number; choices: unknown[]; usage: unknown };
    assert.notEqual(b.id, a.id);
    assert.match(b.id, /^chatcmpl-/);
    assert.ok(b.created > a.created, `created ${a.created} then ${b.created}`);
    assert.deepEqual(b.choices, a.choices);
    assert.deepEqual(b.usage, a.usage);
    const streamedIds = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const streamed = await post(daemon, '/v1/chat/completions', { ...body, stream: true });
      assert.equal(streamed.cache, 'HIT');
      const ids = new Set(streamed.text.split('\n').filter((line) => line.startsWith('data: {')).map((line) => (JSON.parse(line.slice(6)) as { id: string }).id));
      assert.equal(ids.size, 1, 'one id per streamed response');
      streamedIds.add([...ids][0]!);
    }
    streamedIds.add(a.id);
    streamedIds.add(b.id);
    assert.equal(streamedIds.size, 4, 'every response has an id of its own');
  });

  it('replays a hit as Ollama NDJSON', async () => {
    const body = { model: 'simo/sim-chat', options: { temperature: 0 }, messages: [{ role: 'user', content: 'ndjson please' }] };
    const before = upstreamCount(sim);
    const first = await post(daemon, '/api/chat', { ...body, stream: false });
    assert.equal(first.cache, 'MISS');
    const text = (JSON.parse(first.text) as { message: { content: string } }).message.content;
    const streamed = await post(daemon, '/api/chat', { ...body, stream: true });
    assert.equal(streamed.cache, 'HIT');
    assert.deepEqual(ndjsonText(streamed.text), { text, done: true });
    assert.equal(upstreamCount(sim) - before, 1);
  });

  it('does not cache a non-deterministic request unless asked to, and X-Switchyard-Cache: off bypasses', async () => {
    const body = { model: 'sim/sim-chat', temperature: 0.8, messages: [{ role: 'user', content: 'creative' }] };
    assert.equal((await post(daemon, '/v1/chat/completions', body)).cache, 'BYPASS');
    assert.equal((await post(daemon, '/v1/chat/completions', body)).cache, 'BYPASS');
    assert.equal((await post(daemon, '/v1/chat/completions', body, { 'x-switchyard-cache': 'on' })).cache, 'MISS');
    assert.equal((await post(daemon, '/v1/chat/completions', body, { 'x-switchyard-cache': 'on' })).cache, 'HIT');
    const deterministic = { ...body, temperature: 0 };
    await post(daemon, '/v1/chat/completions', deterministic);
    assert.equal((await post(daemon, '/v1/chat/completions', deterministic, { 'x-switchyard-cache': 'off' })).cache, 'BYPASS');
  });

  it('coalesces 100 identical concurrent requests, streamed and not, into one upstream call', async () => {
    sim.configure({ latencyMs: 1500, ttftMs: 1000, tokensPerSecond: 40 });
    try {
      const before = upstreamCount(sim);
      const body = { model: 'sim/sim-chat', temperature: 0, max_tokens: 12, messages: [{ role: 'user', content: 'stampede' }] };
      const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => post(daemon, '/v1/chat/completions', i % 2 === 0 ? body : { ...body, stream: true })));
      assert.equal(upstreamCount(sim) - before, 1);
      const texts = replies.map((reply) => {
        assert.equal(reply.status, 200);
        return reply.type.includes('event-stream') ? sseText(reply.text) : (JSON.parse(reply.text) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
      });
      assert.equal(new Set(texts).size, 1);
      assert.equal(texts[0]!.split(' ').length, 12);
      const statuses = new Set(replies.map((reply) => reply.cache));
      assert.ok(statuses.has('MISS') && statuses.has('COALESCED'), [...statuses].join());
      assert.equal(replies.filter((reply) => reply.cache === 'MISS').length, 1);
    } finally {
      sim.configure({ latencyMs: 1, ttftMs: 1, tokensPerSecond: 0 });
    }
  });

  it('typed-ahead: /v1/completions with suffix serves the rest of the previous completion with no upstream call', async () => {
    const prefix = 'function add(a, b) {\n  return ';
    const suffix = '\n}\n';
    const first = await post(daemon, '/v1/completions', { model: 'sim/sim-coder', prompt: prefix, suffix, max_tokens: 12 });
    const completion = (JSON.parse(first.text) as { choices: Array<{ text: string }> }).choices[0]!.text;
    assert.ok(completion.length > 6);
    const before = upstreamCount(sim);
    for (const typed of [1, 4, completion.length - 1]) {
      const next = await post(daemon, '/v1/completions', { model: 'sim/sim-coder', prompt: prefix + completion.slice(0, typed), suffix, max_tokens: 12 });
      assert.equal(next.cache, 'HIT');
      assert.equal((JSON.parse(next.text) as { choices: Array<{ text: string }> }).choices[0]!.text, completion.slice(typed));
    }
    const streamed = await post(daemon, '/v1/completions', { model: 'sim/sim-coder', prompt: prefix + completion.slice(0, 2), suffix, max_tokens: 12, stream: true });
    assert.equal(sseText(streamed.text), completion.slice(2));
    assert.equal(upstreamCount(sim) - before, 0);
    // Typing something else is a new request.
    await post(daemon, '/v1/completions', { model: 'sim/sim-coder', prompt: `${prefix}§`, suffix, max_tokens: 12 });
    assert.equal(upstreamCount(sim) - before, 1);
  });

  it('typed-ahead: Ollama /api/generate with suffix does the same', async () => {
    const prefix = 'const total = items.';
    const suffix = ';\n';
    const first = await post(daemon, '/api/generate', { model: 'simo/sim-coder', prompt: prefix, suffix, stream: false, options: { num_predict: 12 } });
    const completion = (JSON.parse(first.text) as { response: string }).response;
    const before = upstreamCount(sim);
    const next = await post(daemon, '/api/generate', { model: 'simo/sim-coder', prompt: prefix + completion.slice(0, 3), suffix, stream: false, options: { num_predict: 12 } });
    assert.equal(next.cache, 'HIT');
    assert.equal((JSON.parse(next.text) as { response: string }).response, completion.slice(3));
    const streamed = await post(daemon, '/api/generate', { model: 'simo/sim-coder', prompt: prefix + completion.slice(0, 5), suffix, stream: true, options: { num_predict: 12 } });
    assert.deepEqual(ndjsonText(streamed.text), { text: completion.slice(5), done: true });
    assert.equal(upstreamCount(sim) - before, 0);
  });

  it('never caches an upstream error', async () => {
    sim.configure({ errorRate: 1, errorKinds: ['http500'] });
    const body = { model: 'sim/sim-chat', temperature: 0, messages: [{ role: 'user', content: 'fails once' }] };
    try {
      assert.notEqual((await post(daemon, '/v1/chat/completions', body)).status, 200);
    } finally {
      sim.configure({ errorRate: 0 });
    }
    const ok = await post(daemon, '/v1/chat/completions', body);
    assert.equal(ok.status, 200);
    assert.equal(ok.cache, 'MISS');
  });

  it('GET /v1/switchyard/cache reports, DELETE invalidates by model or entirely', async () => {
    const body = (model: string) => ({ model, temperature: 0, messages: [{ role: 'user', content: 'invalidate me' }] });
    await post(daemon, '/v1/chat/completions', body('sim/sim-chat'));
    await post(daemon, '/v1/chat/completions', body('sim/sim-coder'));
    const status = (await (await fetch(`${daemon.url}/v1/switchyard/cache`, { headers: daemon.auth })).json()) as { entries: number; store: { state: string } };
    assert.ok(status.entries >= 2);
    assert.equal(status.store.state, 'embedded');
    const removed = (await (await fetch(`${daemon.url}/v1/switchyard/cache?model=sim-coder`, { method: 'DELETE', headers: daemon.auth })).json()) as { deleted: number };
    assert.ok(removed.deleted >= 1);
    assert.equal((await post(daemon, '/v1/chat/completions', body('sim/sim-coder'))).cache, 'MISS');
    assert.equal((await post(daemon, '/v1/chat/completions', body('sim/sim-chat'))).cache, 'HIT');
    await fetch(`${daemon.url}/v1/switchyard/cache`, { method: 'DELETE', headers: daemon.auth });
    assert.equal((await post(daemon, '/v1/chat/completions', body('sim/sim-chat'))).cache, 'MISS');
  });
});

describe('cache configuration', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ latencyMs: 1, outputTokens: 4 });
  });
  after(async () => {
    await sim?.close();
  });

  it('[cache] enabled = false turns the cache off', async () => {
    const daemon = await startTestDaemon(`[cache]\nenabled = false\n${simProviderToml('sim', 'openai', sim.url, MODELS)}`);
    try {
      const body = { model: 'sim/sim-chat', temperature: 0, messages: [{ role: 'user', content: 'off' }] };
      assert.equal((await post(daemon, '/v1/chat/completions', body)).cache, 'BYPASS');
      assert.equal((await post(daemon, '/v1/chat/completions', body, { 'x-switchyard-cache': 'on' })).cache, 'BYPASS');
      assert.equal(existsSync(join(daemon.stateDir, 'cache.json')), false);
    } finally {
      await daemon.close();
    }
  });

  it('an invalid [cache] key stops the daemon before it serves, naming the key', async () => {
    await assert.rejects(startTestDaemon(`[cache]\nmax_entries = "lots"\n${simProviderToml('sim', 'openai', sim.url, MODELS)}`), /cache\.max_entries/);
  });

  it('survives a restart, and a corrupt file is set aside and rebuilt without a crash', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-cache-'));
    const configPath = join(stateDir, 'config.toml');
    writeFileSync(configPath, `[discovery]\nlocal = false\ncloud_from_env = false\n${simProviderToml('sim', 'openai', sim.url, MODELS)}`);
    const logs: string[] = [];
    const start = async (): Promise<RunningDaemon> => {
      const sink = new PassThrough();
      sink.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      return startDaemon({ configPath, stateDir, port: 0, env: {}, logDestination: sink });
    };
    const body = { model: 'sim/sim-chat', temperature: 0, messages: [{ role: 'user', content: 'remember me' }] };
    try {
      let daemon = await start();
      const first = await post(daemon, '/v1/chat/completions', body);
      assert.equal(first.cache, 'MISS');
      await daemon.close();
      const file = join(stateDir, 'cache.json');
      assert.equal(statSync(file).mode & 0o777, 0o600);

      const before = upstreamCount(sim);
      daemon = await start();
      const again = await post(daemon, '/v1/chat/completions', body);
      assert.equal(again.cache, 'HIT');
      assert.equal(JSON.parse(again.text).choices[0].message.content, JSON.parse(first.text).choices[0].message.content);
      assert.equal(upstreamCount(sim) - before, 0);
      await daemon.close();

      // Truncate the file mid-way: the next start sets it aside and starts empty.
      const content = readFileSync(file, 'utf8');
      writeFileSync(file, content.slice(0, Math.floor(content.length / 2)), { mode: 0o600 });
      daemon = await start();
      assert.equal((await post(daemon, '/v1/chat/completions', body)).cache, 'MISS');
      assert.ok(readdirSync(stateDir).some((name) => name.startsWith('cache.json.corrupt-')));
      assert.match(logs.join(''), /corrupt or truncated/);
      await daemon.close();

      daemon = await start();
      assert.equal((await post(daemon, '/v1/chat/completions', body)).cache, 'HIT');
      await daemon.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
