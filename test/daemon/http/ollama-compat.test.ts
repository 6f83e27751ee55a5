import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { exchange, keysOf, ndjsonLines, sorted } from './wire-helpers';

/** Key sets as Ollama's `docs/api.md` shows them (`context` of `/api/generate` is deprecated and left out). */
const DURATIONS = ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'];
const CHAT_FINAL = sorted(['model', 'created_at', 'message', 'done_reason', 'done', ...DURATIONS]);
const CHAT_PART = sorted(['model', 'created_at', 'message', 'done']);
const GENERATE_FINAL = sorted(['model', 'created_at', 'response', 'done', 'done_reason', ...DURATIONS]);
const GENERATE_PART = sorted(['model', 'created_at', 'response', 'done']);
const TAG = sorted(['name', 'model', 'modified_at', 'size', 'digest', 'details']);
const DETAILS = sorted(['parent_model', 'format', 'family', 'families', 'parameter_size', 'quantization_level']);
const RUNNING = sorted(['name', 'model', 'size', 'digest', 'details', 'expires_at', 'size_vram']);

/** Each upstream protocol the simulator speaks, with the model this daemon serves from it. */
const UPSTREAMS = [
  { kind: 'ollama', model: 'sim-chat' },
  { kind: 'openai', model: 'other-chat' },
  { kind: 'anthropic', model: 'anth-chat' },
  { kind: 'llamacpp', model: 'llama-chat' },
] as const;

function assertDurations(final: Record<string, any>, what: string): void {
  for (const key of ['total_duration', 'prompt_eval_duration', 'eval_duration']) {
    assert.ok(Number.isInteger(final[key]) && final[key] > 0, `${what}: ${key} is a positive number of nanoseconds, got ${final[key]}`);
  }
  assert.ok(Number.isInteger(final.load_duration) && final.load_duration >= 0, what);
  assert.ok(final.eval_count > 0 && final.prompt_eval_count > 0, what);
  const tokensPerSecond = (final.eval_count / final.eval_duration) * 1e9;
  assert.ok(Number.isFinite(tokensPerSecond) && tokensPerSecond > 0, `${what}: ${tokensPerSecond} tokens/s`);
}

describe('Ollama compatibility: the calls Ollama clients make, answered in Ollama\'s documented shapes', () => {
  let sim: Simulator;
  let daemon: TestDaemon;
  let client: Ollama;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, ttftMs: 5, outputTokens: 10, tokensPerSecond: 2000, seed: 5, models: ['sim-chat', 'sim-coder', 'other-chat', 'anth-chat', 'llama-chat'] });
    daemon = await startTestDaemon(
      simProviderToml('local', 'ollama', sim.url, 'models = ["sim-chat", "sim-coder"]') +
        simProviderToml('compat', 'openai', sim.url, 'models = ["other-chat"]') +
        simProviderToml('anth', 'anthropic', sim.url, 'models = ["anth-chat"]') +
        simProviderToml('llama', 'llamacpp', sim.url, 'models = ["llama-chat"]'),
    );
    client = new Ollama({ host: daemon.url, headers: daemon.auth });
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  const get = (path: string) => exchange(`${daemon.url}${path}`, { headers: daemon.auth });
  const post = (path: string, body: unknown) => exchange(`${daemon.url}${path}`, { body, headers: daemon.auth });

  it('GET / says "Ollama is running", as clients probing for an Ollama expect', async () => {
    const reply = await get('/');
    assert.equal(reply.status, 200);
    assert.equal(reply.text, 'Ollama is running');
    assert.match(String(reply.headers['content-type']), /^text\/plain/);
    const head = await exchange(`${daemon.url}/`, { method: 'HEAD', headers: daemon.auth });
    assert.equal(head.status, 200);
  });

  it('/api/version is a plain release number that minimum-version checks accept', async () => {
    const reply = await get('/api/version');
    assert.deepEqual(keysOf(reply.json), ['version']);
    assert.match(reply.json.version, /^\d+\.\d+\.\d+$/);
    const [major, minor] = reply.json.version.split('.').map(Number);
    assert.ok(major > 0 || minor >= 5, `newer than the 0.5 releases clients check for: ${reply.json.version}`);
    assert.equal((await client.version()).version, reply.json.version);
  });

  it('/api/tags passes an upstream Ollama\'s size, digest, date and details through, and gives other models stable, honest values', async () => {
    const upstream = (await exchange(`${sim.url}/api/tags`)).json.models as Record<string, any>[];
    const reply = await get('/api/tags');
    assert.equal(reply.status, 200);
    const models = reply.json.models as Record<string, any>[];
    assert.deepEqual(models.map((m) => m.name).sort(), ['anth-chat', 'llama-chat', 'other-chat', 'sim-chat', 'sim-coder']);
    for (const model of models) {
      assert.deepEqual(keysOf(model), TAG, model.name);
      assert.deepEqual(keysOf(model.details), DETAILS, model.name);
      assert.match(model.digest, /^[0-9a-f]{64}$/);
      assert.ok(!Number.isNaN(Date.parse(model.modified_at)), model.modified_at);
    }
    const fromOllama = models.find((m) => m.name === 'sim-chat')!;
    const original = upstream.find((m) => m.name === 'sim-chat:latest')!;
    assert.equal(fromOllama.size, original.size);
    assert.ok(fromOllama.size > 0);
    assert.equal(fromOllama.digest, original.digest);
    assert.equal(fromOllama.modified_at, original.modified_at);
    assert.deepEqual(fromOllama.details, original.details);

    const cloudish = models.find((m) => m.name === 'other-chat')!;
    assert.equal(cloudish.size, 0);
    assert.equal(cloudish.digest, createHash('sha256').update('switchyard:other-chat').digest('hex'));
    assert.deepEqual(cloudish.details, { parent_model: '', format: '', family: '', families: null, parameter_size: '', quantization_level: '' });
    assert.deepEqual((await get('/api/tags')).json, reply.json, 'the same listing twice');

    const listed = await client.list();
    assert.equal(listed.models.find((m) => m.name === 'sim-chat')?.details.quantization_level, original.details.quantization_level);
  });

  it('/api/show passes an upstream Ollama\'s answer through, and describes other models by what is known', async () => {
    const direct = (await exchange(`${sim.url}/api/show`, { body: { model: 'sim-coder' } })).json;
    const reply = await post('/api/show', { model: 'sim-coder' });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.json, direct);
    assert.ok(reply.json.capabilities.includes('insert'));
    assert.equal(reply.json.model_info['llama.context_length'], 8192);
    const shown = await client.show({ model: 'sim-chat' });
    assert.deepEqual(shown.capabilities, ['completion', 'tools']);

    const other = await post('/api/show', { name: 'other-chat' });
    assert.equal(other.status, 200, other.text);
    assert.deepEqual(keysOf(other.json), ['capabilities', 'details', 'model_info', 'modified_at']);
    assert.deepEqual(keysOf(other.json.details), DETAILS);
    assert.deepEqual(other.json.capabilities, ['completion']);
    assert.equal(typeof other.json.model_info['general.architecture'], 'string');

    const unknown = await post('/api/show', { model: 'nope' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(keysOf(unknown.json), ['error']);
    assert.match(unknown.json.error, /nope/);
  });

  it('/api/ps lists what each upstream Ollama has loaded, under the names used here', async () => {
    const reply = await get('/api/ps');
    assert.equal(reply.status, 200, reply.text);
    const models = reply.json.models as Record<string, any>[];
    for (const name of ['sim-chat', 'sim-coder']) {
      const model = models.find((m) => m.name === name);
      assert.ok(model, `${name} is listed: ${reply.text}`);
      assert.deepEqual(keysOf(model).filter((key) => RUNNING.includes(key)), RUNNING);
      assert.equal(model.model, name);
      assert.ok(model.size_vram > 0 && !Number.isNaN(Date.parse(model.expires_at)));
    }
    assert.ok(!models.some((m) => m.name === 'other-chat' || m.name === 'anth-chat'), 'models no Ollama serves are not "loaded"');
    assert.ok((await client.ps()).models.some((m) => m.name === 'sim-chat'));
  });

  it('/api/chat with no messages loads the model (keep_alive 0 unloads), as Ollama documents', async () => {
    const loaded = await post('/api/chat', { model: 'sim-chat', messages: [] });
    assert.equal(loaded.status, 200, loaded.text);
    assert.deepEqual(keysOf(loaded.json), sorted(['model', 'created_at', 'message', 'done_reason', 'done']));
    assert.deepEqual(loaded.json.message, { role: 'assistant', content: '' });
    assert.equal(loaded.json.done_reason, 'load');
    assert.equal(loaded.json.done, true);
    const sent = sim.requests.at(-1)!;
    assert.equal(sent.route, 'ollama.generate', 'the load reached the Ollama behind');

    const unloaded = await post('/api/chat', { model: 'sim-chat', messages: [], keep_alive: 0 });
    assert.equal(unloaded.json.done_reason, 'unload');
    assert.equal((sim.requests.at(-1)!.body as { keep_alive?: unknown }).keep_alive, 0);

    const noMessages = await post('/api/chat', { model: 'other-chat' });
    assert.equal(noMessages.json.done_reason, 'load', noMessages.text);

    const generateLoad = await post('/api/generate', { model: 'other-chat' });
    assert.deepEqual(keysOf(generateLoad.json), sorted(['model', 'created_at', 'response', 'done', 'done_reason']));
    assert.equal(generateLoad.json.done_reason, 'load');

    const unknown = await post('/api/chat', { model: 'nope', messages: [] });
    assert.equal(unknown.status, 404);
    assert.deepEqual(keysOf(unknown.json), ['error']);
  });

  for (const { kind, model } of UPSTREAMS) {
    it(`${kind} upstream: /api/chat and /api/generate, whole and streamed, in Ollama's shapes with real durations`, async () => {
      const messages = [{ role: 'user', content: 'Say something' }];
      const chat = await post('/api/chat', { model, messages, stream: false });
      assert.equal(chat.status, 200, chat.text);
      assert.deepEqual(keysOf(chat.json), CHAT_FINAL);
      assert.deepEqual(keysOf(chat.json.message), ['content', 'role']);
      assert.equal(chat.json.model, model);
      assert.equal(chat.json.done, true);
      assert.equal(chat.json.done_reason, 'stop');
      assertDurations(chat.json, `${kind} chat`);

      const streamed = await post('/api/chat', { model, messages });
      assert.equal(streamed.status, 200, streamed.text);
      assert.equal(streamed.headers['content-type'], 'application/x-ndjson');
      const lines = ndjsonLines(streamed.text);
      for (const line of lines.slice(0, -1)) {
        assert.deepEqual(keysOf(line), CHAT_PART);
        assert.equal(line.done, false);
      }
      assert.deepEqual(keysOf(lines.at(-1)), CHAT_FINAL);
      assert.equal(lines.at(-1)!.message.content, '');
      assertDurations(lines.at(-1)!, `${kind} streamed chat`);

      const generate = await post('/api/generate', { model, prompt: 'Once upon a time', stream: false });
      assert.equal(generate.status, 200, generate.text);
      assert.deepEqual(keysOf(generate.json), GENERATE_FINAL);
      assertDurations(generate.json, `${kind} generate`);

      const generated = ndjsonLines((await post('/api/generate', { model, prompt: 'Once upon a time' })).text);
      for (const line of generated.slice(0, -1)) assert.deepEqual(keysOf(line), GENERATE_PART);
      assert.deepEqual(keysOf(generated.at(-1)), GENERATE_FINAL);
      assertDurations(generated.at(-1)!, `${kind} streamed generate`);
    });
  }

  it('passes an upstream Ollama\'s own durations through', async () => {
    const reply = await post('/api/generate', { model: 'sim-chat', prompt: 'time me', stream: false });
    const upstream = sim.requests.at(-1)!;
    assert.equal(upstream.route, 'ollama.generate');
    // The simulator reports its load time as the time between receipt and start; the gateway measures none of its own.
    assert.ok(reply.json.load_duration > 0, `load_duration from the upstream: ${reply.json.load_duration}`);
    assert.ok(reply.json.eval_duration + reply.json.prompt_eval_duration <= reply.json.total_duration);
  });

  it('the official client chats and generates, streamed and not', async () => {
    const whole = await client.chat({ model: 'other-chat', messages: [{ role: 'user', content: 'hi' }], stream: false });
    assert.ok(whole.message.content.length > 0 && whole.eval_duration > 0);
    let text = '';
    for await (const part of await client.generate({ model: 'sim-coder', prompt: 'def f():', stream: true })) text += part.response;
    assert.ok(text.length > 0);
  });
});
