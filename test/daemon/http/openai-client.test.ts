import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

const KINDS = ['openai', 'ollama', 'anthropic', 'llamacpp'] as const;

describe('the official openai client against the daemon, for each upstream protocol', () => {
  let sim: Simulator;
  let daemon: TestDaemon;
  let client: OpenAI;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 12, seed: 7 });
    daemon = await startTestDaemon(KINDS.map((kind) => simProviderToml(`sim-${kind}`, kind, sim.url, 'models = ["sim-chat", "sim-coder"]')).join(''));
    client = new OpenAI({ baseURL: `${daemon.url}/v1`, apiKey: daemon.token, maxRetries: 0 });
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  for (const kind of KINDS) {
    const model = `sim-${kind}/sim-chat`;

    it(`${kind}: chat without streaming`, async () => {
      const { data, response } = await client.chat.completions
        .create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say something' }], max_tokens: 50 })
        .withResponse();
      assert.equal(data.object, 'chat.completion');
      assert.equal(data.choices[0]!.message.role, 'assistant');
      assert.ok((data.choices[0]!.message.content ?? '').length > 0);
      assert.equal(data.choices[0]!.finish_reason, 'stop');
      assert.ok(data.usage!.prompt_tokens > 0);
      assert.equal(data.usage!.completion_tokens, 12);
      assert.equal(response.headers.get('x-switchyard-provider'), `sim-${kind}`);
      assert.equal(response.headers.get('x-switchyard-model'), 'sim-chat');
      const upstream = sim.requests.at(-1)!;
      assert.ok(upstream.route.startsWith(kind === 'llamacpp' ? 'llamacpp' : kind) || upstream.route === 'openai.chat', upstream.route);
    });

    it(`${kind}: chat with streaming gives the same text as without, and usage`, async () => {
      const body = { model, messages: [{ role: 'user' as const, content: 'Stream the same thing' }], seed: 3 };
      const whole = await client.chat.completions.create(body);
      const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
      let text = '';
      let finish: string | null | undefined;
      let usage: OpenAI.CompletionUsage | undefined | null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      assert.equal(text, whole.choices[0]!.message.content);
      assert.equal(finish, 'stop');
      assert.equal(usage?.completion_tokens, 12);
    });

    it(`${kind}: a max_tokens cap ends with finish_reason length`, async () => {
      const data = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'long' }], max_tokens: 3 });
      assert.equal(data.choices[0]!.finish_reason, 'length');
      assert.equal(data.usage!.completion_tokens, 3);
    });
  }

  for (const kind of ['openai', 'ollama', 'llamacpp'] as const) {
    it(`${kind}: completions with suffix (fill-in-the-middle), streamed and not`, async () => {
      const model = `sim-${kind}/sim-coder`;
      const data = await client.completions.create({ model, prompt: 'function add(a, b) {\n  return ', suffix: '\n}\n', max_tokens: 8, temperature: 0 });
      assert.equal(data.object, 'text_completion');
      assert.ok(data.choices[0]!.text.length > 0);
      const upstream = sim.requests.at(-1)!;
      const sentSuffix = JSON.stringify(upstream.body);
      assert.ok(sentSuffix.includes('\\n}\\n'), `the suffix reached the provider: ${sentSuffix}`);
      const stream = await client.completions.create({ model, prompt: 'function add(a, b) {\n  return ', suffix: '\n}\n', max_tokens: 8, temperature: 0, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
      assert.equal(text, data.choices[0]!.text);
    });
  }

  it('anthropic: a fill-in-the-middle request is refused with a clear 400', async () => {
    await assert.rejects(
      client.completions.create({ model: 'sim-anthropic/sim-coder', prompt: 'a', suffix: 'b' }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && /fill-in-the-middle|suffix/i.test(error.message),
    );
  });

  it('tool calls pass through from an OpenAI-compatible and an Anthropic upstream', async () => {
    for (const kind of ['openai', 'anthropic'] as const) {
      const data = await client.chat.completions.create({
        model: `sim-${kind}/sim-chat`,
        messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      });
      const call = data.choices[0]!.message.tool_calls?.[0];
      assert.ok(call && call.type === 'function', `${kind} answered with a tool call`);
      assert.equal(call.function.name, 'get_weather');
      assert.doesNotThrow(() => JSON.parse(call.function.arguments));
      assert.equal(data.choices[0]!.finish_reason, 'tool_calls');
    }
  });

  it('lists models, and answers an unknown model with an OpenAI 404 error', async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    for (const kind of KINDS) assert.ok(ids.includes(`sim-${kind}/sim-chat`), ids.join(','));
    await assert.rejects(
      client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
      (error: unknown) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found' && error.param === 'model',
    );
  });

  it('passes an upstream error on with its status and message', async () => {
    sim.configure({ errorRate: 1, errorKinds: ['http503'] });
    try {
      await assert.rejects(
        client.chat.completions.create({ model: 'sim-openai/sim-chat', messages: [{ role: 'user', content: 'x' }] }),
        (error: unknown) => error instanceof OpenAI.APIError && error.status === 503,
      );
    } finally {
      sim.configure({ errorRate: 0 });
    }
  });
});
