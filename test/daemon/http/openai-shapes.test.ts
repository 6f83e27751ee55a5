import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { exchange, keysOf, sseData, sorted } from './wire-helpers';

/** Key sets from the OpenAI API reference; `logprobs` and `message.refusal` are required there, and nullable. */
const TOP = sorted(['id', 'object', 'created', 'model', 'choices', 'usage']);
const CHUNK = sorted(['id', 'object', 'created', 'model', 'choices']);
const CHAT_CHOICE = sorted(['index', 'message', 'logprobs', 'finish_reason']);
const MESSAGE = sorted(['role', 'content', 'refusal']);
const CHUNK_CHOICE = sorted(['index', 'delta', 'logprobs', 'finish_reason']);
const COMPLETION_CHOICE = sorted(['index', 'text', 'logprobs', 'finish_reason']);
const USAGE = sorted(['prompt_tokens', 'completion_tokens', 'total_tokens']);
const MODEL = sorted(['id', 'object', 'created', 'owned_by']);
/**
 * Optional keys of the reference's chunk object. An OpenAI-compatible upstream's stream is
 * forwarded as its bytes, so its chunks keep those it sent (the simulator sends
 * `system_fingerprint`, as OpenAI does); a rendered stream has none.
 */
const OPTIONAL_CHUNK_KEYS = new Set(['system_fingerprint', 'service_tier']);
const chunkKeys = (chunk: Record<string, unknown>): string[] => keysOf(chunk).filter((key) => !OPTIONAL_CHUNK_KEYS.has(key));

const KINDS = ['openai', 'ollama', 'anthropic', 'llamacpp'] as const;

describe('the OpenAI door, field by field against the API reference, for each upstream protocol', () => {
  let sim: Simulator;
  let daemon: TestDaemon;
  let client: OpenAI;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 6, tokensPerSecond: 5000, seed: 9 });
    daemon = await startTestDaemon(KINDS.map((kind) => simProviderToml(`sim-${kind}`, kind, sim.url, 'models = ["sim-chat"]')).join(''));
    client = new OpenAI({ baseURL: `${daemon.url}/v1`, apiKey: daemon.token, maxRetries: 0 });
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  const post = (path: string, body: unknown) => exchange(`${daemon.url}${path}`, { body, headers: daemon.auth });

  for (const kind of KINDS) {
    const model = `sim-${kind}/sim-chat`;
    const messages = [{ role: 'user', content: 'Say something' }];

    it(`${kind}: a whole chat completion has every required key, nullable ones as null`, async () => {
      const reply = await post('/v1/chat/completions', { model, messages });
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(keysOf(reply.json), TOP);
      assert.equal(reply.json.object, 'chat.completion');
      const choice = reply.json.choices[0];
      assert.deepEqual(keysOf(choice), CHAT_CHOICE);
      assert.equal(choice.logprobs, null);
      assert.deepEqual(keysOf(choice.message), MESSAGE);
      assert.equal(choice.message.refusal, null);
      assert.deepEqual(keysOf(reply.json.usage), USAGE);
    });

    it(`${kind}: a streamed chat has "usage": null on every chunk but the last with include_usage`, async () => {
      const reply = await post('/v1/chat/completions', { model, messages, stream: true, stream_options: { include_usage: true } });
      assert.equal(reply.status, 200, reply.text);
      const events = sseData(reply.text);
      assert.equal(events.at(-1), '[DONE]');
      const chunks = events.slice(0, -1) as Record<string, any>[];
      const last = chunks.at(-1)!;
      assert.deepEqual(last.choices, []);
      assert.deepEqual(keysOf(last.usage), USAGE);
      for (const chunk of chunks.slice(0, -1)) {
        assert.deepEqual(chunkKeys(chunk), sorted([...CHUNK, 'usage']));
        assert.equal(chunk.usage, null);
        assert.equal(chunk.object, 'chat.completion.chunk');
        assert.deepEqual(keysOf(chunk.choices[0]), CHUNK_CHOICE);
      }
      // The reference's delta also has a nullable `refusal`, which a forwarded stream keeps if the upstream sent it.
      assert.deepEqual(keysOf(chunks[0]!.choices[0].delta).filter((key) => key !== 'refusal'), ['content', 'role']);
      assert.equal(chunks.at(-2)!.choices[0].finish_reason, 'stop');

      const plain = sseData((await post('/v1/chat/completions', { model, messages, stream: true })).text);
      assert.equal(plain.at(-1), '[DONE]');
      for (const chunk of plain.slice(0, -1) as Record<string, any>[]) assert.deepEqual(chunkKeys(chunk), CHUNK, 'no usage key unless asked for');
    });

    it(`${kind}: completions, whole and streamed`, async () => {
      const whole = await post('/v1/completions', { model, prompt: 'Once upon a time' });
      assert.equal(whole.status, 200, whole.text);
      assert.deepEqual(keysOf(whole.json), TOP);
      assert.equal(whole.json.object, 'text_completion');
      assert.deepEqual(keysOf(whole.json.choices[0]), COMPLETION_CHOICE);
      assert.equal(whole.json.choices[0].logprobs, null);

      const streamed = sseData((await post('/v1/completions', { model, prompt: 'Once upon a time', stream: true, stream_options: { include_usage: true } })).text);
      const chunks = streamed.slice(0, -1) as Record<string, any>[];
      for (const chunk of chunks.slice(0, -1)) {
        assert.deepEqual(chunkKeys(chunk), sorted([...CHUNK, 'usage']));
        assert.equal(chunk.usage, null);
        assert.deepEqual(keysOf(chunk.choices[0]), COMPLETION_CHOICE);
      }
      assert.deepEqual(keysOf(chunks.at(-1)!.usage), USAGE);
    });
  }

  it('the official client sees the nullable keys and the usage nulls', async () => {
    const data = await client.chat.completions.create({ model: 'sim-ollama/sim-chat', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(data.choices[0]!.logprobs, null);
    assert.equal(data.choices[0]!.message.refusal, null);
    const usages: (OpenAI.CompletionUsage | null | undefined)[] = [];
    for await (const chunk of await client.chat.completions.create({ model: 'sim-openai/sim-chat', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } })) {
      usages.push(chunk.usage);
    }
    assert.ok(usages.length > 2);
    assert.ok(usages.slice(0, -1).every((usage) => usage === null));
    assert.ok(usages.at(-1)!.total_tokens > 0);
  });

  it('/v1/models and /v1/models/{model}: the model object, and model_not_found for an unknown one', async () => {
    const list = await exchange(`${daemon.url}/v1/models`, { headers: daemon.auth });
    assert.deepEqual(keysOf(list.json), ['data', 'object']);
    for (const model of list.json.data) assert.deepEqual(keysOf(model), MODEL);
    const one = await exchange(`${daemon.url}/v1/models/sim-llamacpp/sim-chat`, { headers: daemon.auth });
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.json, list.json.data.find((m: { id: string }) => m.id === 'sim-llamacpp/sim-chat'));
    const retrieved = await client.models.retrieve('sim-openai/sim-chat');
    assert.equal(retrieved.owned_by, 'sim-openai');
    await assert.rejects(client.models.retrieve('no-such-model'), (error: unknown) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found');
  });

  it('refuses log probabilities instead of answering without them', async () => {
    const reply = await post('/v1/chat/completions', { model: 'sim-openai/sim-chat', messages: [{ role: 'user', content: 'x' }], logprobs: true });
    assert.equal(reply.status, 400);
    assert.equal(reply.json.error.param, 'logprobs');
    assert.equal(reply.json.error.code, 'invalid_value');
    assert.match(reply.json.error.message, /false or null/);
  });
});
