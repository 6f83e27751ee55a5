import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startSimulator, type Simulator } from '../../../bench/sim/index';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a place',
    parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] },
  },
};

describe('OpenAI protocol, through the official openai client', () => {
  let sim: Simulator;
  let client: OpenAI;

  before(async () => {
    sim = await startSimulator({ outputTokens: 8, seed: 3 });
    client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'sk-sim', maxRetries: 0 });
  });
  after(() => sim.close());

  it('answers a chat completion with usage counted in words', async () => {
    const reply = await client.chat.completions.create({
      model: 'sim-chat',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello to the world' }],
    });
    assert.equal(reply.object, 'chat.completion');
    assert.match(reply.id, /^chatcmpl-/);
    assert.equal(reply.model, 'sim-chat');
    const choice = reply.choices[0]!;
    assert.equal(choice.message.role, 'assistant');
    assert.equal(choice.message.content!.split(' ').length, 8);
    assert.equal(choice.finish_reason, 'stop');
    assert.deepEqual(reply.usage && { p: reply.usage.prompt_tokens, c: reply.usage.completion_tokens, t: reply.usage.total_tokens }, { p: 7, c: 8, t: 15 });
    assert.equal(sim.requests.at(-1)!.route, 'openai.chat');
  });

  it('streams chunks whose deltas add up to the same text, then a usage chunk, then [DONE]', async () => {
    const body = { model: 'sim-chat', messages: [{ role: 'user' as const, content: 'stream me something' }] };
    const whole = await client.chat.completions.create(body);
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    let text = '';
    const finishes: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let roleSeen = false;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      if (chunk.choices.length === 0) usage = chunk.usage;
      for (const choice of chunk.choices) {
        if (choice.delta.role === 'assistant') roleSeen = true;
        text += choice.delta.content ?? '';
        finishes.push(choice.finish_reason);
      }
    }
    assert.ok(roleSeen);
    assert.equal(text, whole.choices[0]!.message.content);
    assert.equal(finishes.at(-1), 'stop');
    assert.equal(finishes.filter((f) => f !== null).length, 1);
    assert.deepEqual(usage, { prompt_tokens: 3, completion_tokens: 8, total_tokens: 11 });
  });

  it('caps the output at max_tokens with finish_reason "length"', async () => {
    const reply = await client.chat.completions.create({ model: 'sim-chat', max_tokens: 3, messages: [{ role: 'user', content: 'long please' }] });
    assert.equal(reply.choices[0]!.finish_reason, 'length');
    assert.equal(reply.usage!.completion_tokens, 3);
    const capped = await client.chat.completions.create({ model: 'sim-chat', max_completion_tokens: 2, messages: [{ role: 'user', content: 'long please' }] });
    assert.equal(capped.usage!.completion_tokens, 2);
  });

  it('calls the weather tool when asked about the weather, streamed as tool_call deltas', async () => {
    const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
    const whole = await client.chat.completions.create({ model: 'sim-chat', messages, tools: [WEATHER_TOOL] });
    const call = whole.choices[0]!.message.tool_calls![0]!;
    assert.equal(whole.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(whole.choices[0]!.message.content, null);
    assert.equal(call.type, 'function');
    assert.equal(call.type === 'function' && call.function.name, 'get_weather');
    const args = JSON.parse(call.type === 'function' ? call.function.arguments : '{}');
    assert.equal(typeof args.location, 'string');
    assert.equal(args.unit, 'celsius');

    const stream = await client.chat.completions.create({ model: 'sim-chat', messages, tools: [WEATHER_TOOL], stream: true });
    let streamedArgs = '';
    let name: string | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      for (const delta of choice?.delta.tool_calls ?? []) {
        name ??= delta.function?.name;
        streamedArgs += delta.function?.arguments ?? '';
      }
      finish = choice?.finish_reason ?? finish;
    }
    assert.equal(name, 'get_weather');
    assert.deepEqual(JSON.parse(streamedArgs), args);
    assert.equal(finish, 'tool_calls');
  });

  it('answers with text when tools are offered but not needed, and calls a forced tool', async () => {
    const plain = await client.chat.completions.create({ model: 'sim-chat', messages: [{ role: 'user', content: 'Tell a joke' }], tools: [WEATHER_TOOL] });
    assert.equal(plain.choices[0]!.finish_reason, 'stop');
    const forced = await client.chat.completions.create({
      model: 'sim-chat',
      messages: [{ role: 'user', content: 'Tell a joke' }],
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    assert.equal(forced.choices[0]!.finish_reason, 'tool_calls');
  });

  it('completes with a suffix (fill-in-the-middle), streamed and not', async () => {
    const body = { model: 'sim-coder', prompt: 'function add(a, b) {', suffix: '}', max_tokens: 5 };
    const whole = await client.completions.create(body);
    assert.equal(whole.object, 'text_completion');
    assert.equal(whole.choices[0]!.finish_reason, 'length');
    assert.equal(whole.usage!.prompt_tokens, 5);
    const stream = await client.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, whole.choices[0]!.text);
    assert.equal(usage!.completion_tokens, 5);
    const withoutSuffix = await client.completions.create({ model: 'sim-coder', prompt: 'function add(a, b) {', max_tokens: 5 });
    assert.notEqual(withoutSuffix.choices[0]!.text, whole.choices[0]!.text, 'the suffix is part of the input');
  });

  it('lists the default models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(ids, ['sim-chat', 'sim-coder']);
    assert.equal((await client.models.retrieve('sim-coder')).id, 'sim-coder');
  });

  it('returns OpenAI error objects the client maps to its error classes', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found' && error.type === 'invalid_request_error',
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'sim-chat', messages: [] }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'messages',
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-sim-fault': 'http429' } }),
      (error: unknown) => error instanceof OpenAI.RateLimitError && error.headers.get('retry-after') === '1',
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-sim-fault': 'http500' } }),
      (error: unknown) => error instanceof OpenAI.InternalServerError && error.status === 500 && error.type === 'server_error',
    );
  });

  it('reports an in-band stream error as an APIError in the client', async () => {
    const stream = await client.chat.completions.create(
      { model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { headers: { 'x-sim-fault': 'stream-error' } },
    );
    await assert.rejects(async () => {
      for await (const chunk of stream) void chunk;
    }, (error: unknown) => error instanceof OpenAI.APIError);
  });
});
