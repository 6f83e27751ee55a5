import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { parseSse, postRaw } from './sim-helpers';

describe('Anthropic Messages protocol, through the official @anthropic-ai/sdk client', () => {
  let sim: Simulator;
  let client: Anthropic;

  before(async () => {
    sim = await startSimulator({ outputTokens: 7, seed: 9 });
    client = new Anthropic({ baseURL: sim.url, apiKey: 'sk-ant-sim', maxRetries: 0 });
  });
  after(() => sim.close());

  it('answers a message with a text block, end_turn and usage', async () => {
    const message = await client.messages.create({
      model: 'sim-chat',
      max_tokens: 100,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Hello, Claude' }],
    });
    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.match(message.id, /^msg_/);
    assert.equal(message.stop_reason, 'end_turn');
    const block = message.content[0]!;
    assert.equal(block.type, 'text');
    assert.equal(block.type === 'text' && block.text.split(' ').length, 7);
    assert.equal(message.usage.input_tokens, 5);
    assert.equal(message.usage.output_tokens, 7);
  });

  it('streams the documented event sequence, and the SDK assembles the same message', async () => {
    const body = { model: 'sim-chat', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Stream please' }] };
    const raw = await postRaw(`${sim.url}/v1/messages`, { ...body, stream: true }, { 'anthropic-version': '2023-06-01' });
    const events = parseSse(raw.body);
    const names = events.map((event) => event.event);
    assert.deepEqual(names, [
      'message_start', 'content_block_start', 'ping',
      ...Array(7).fill('content_block_delta'),
      'content_block_stop', 'message_delta', 'message_stop',
    ]);
    for (const event of events) assert.equal(JSON.parse(event.data).type, event.event, 'data.type matches the event name');
    const start = JSON.parse(events[0]!.data);
    assert.deepEqual(start.message.content, []);
    assert.equal(start.message.usage.input_tokens, 2);
    const delta = JSON.parse(events.at(-2)!.data);
    assert.deepEqual(delta.delta, { stop_reason: 'end_turn', stop_sequence: null });
    assert.equal(delta.usage.output_tokens, 7);

    const stream = client.messages.stream(body);
    let text = '';
    stream.on('text', (piece) => (text += piece));
    const final = await stream.finalMessage();
    const whole = await client.messages.create(body);
    assert.equal(text, whole.content[0]!.type === 'text' ? whole.content[0]!.text : '');
    assert.deepEqual(final.content, whole.content);
    assert.equal(final.usage.output_tokens, 7);
  });

  it('stops at max_tokens with stop_reason "max_tokens"', async () => {
    const message = await client.messages.create({ model: 'sim-chat', max_tokens: 2, messages: [{ role: 'user', content: 'Go on' }] });
    assert.equal(message.stop_reason, 'max_tokens');
    assert.equal(message.usage.output_tokens, 2);
  });

  it('uses a tool, streamed as input_json_delta, with stop_reason "tool_use"', async () => {
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } }, required: ['location'] } }];
    const body = { model: 'sim-chat', max_tokens: 200, tools, messages: [{ role: 'user' as const, content: 'What is the weather in San Francisco?' }] };
    const message = await client.messages.create(body);
    assert.equal(message.stop_reason, 'tool_use');
    const use = message.content[0]!;
    assert.equal(use.type, 'tool_use');
    assert.equal(use.type === 'tool_use' && use.name, 'get_weather');
    const raw = await postRaw(`${sim.url}/v1/messages`, { ...body, stream: true }, { 'anthropic-version': '2023-06-01' });
    const deltas = parseSse(raw.body).filter((event) => event.event === 'content_block_delta').map((event) => JSON.parse(event.data).delta);
    assert.ok(deltas.length > 1 && deltas.every((delta) => delta.type === 'input_json_delta'));
    assert.deepEqual(JSON.parse(deltas.map((delta) => delta.partial_json).join('')), use.type === 'tool_use' ? use.input : undefined);
    const streamed = await client.messages.stream(body).finalMessage();
    const streamedUse = streamed.content[0]!;
    assert.equal(streamedUse.type, 'tool_use');
    assert.deepEqual(streamedUse.type === 'tool_use' && [streamedUse.name, streamedUse.input], [use.type === 'tool_use' && use.name, use.type === 'tool_use' && use.input]);
  });

  it('rejects what the real API rejects, in its error shape', async () => {
    const noVersion = await postRaw(`${sim.url}/v1/messages`, { model: 'sim-chat', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(noVersion.status, 400);
    const body = JSON.parse(noVersion.body);
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /anthropic-version/);

    await assert.rejects(
      client.messages.create({ model: 'sim-chat', messages: [{ role: 'user', content: 'x' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /max_tokens/.test(error.message),
    );
    await assert.rejects(
      client.messages.create({ model: 'sim-chat', max_tokens: 5, messages: [{ role: 'system', content: 'x' } as never, { role: 'user', content: 'x' }] }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /top-level `system`/.test(error.message),
    );
    await assert.rejects(
      client.messages.create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
      (error: unknown) => error instanceof Anthropic.NotFoundError,
    );
    await assert.rejects(
      client.messages.create({ model: 'sim-chat', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-sim-fault': 'http429' } }),
      (error: unknown) => error instanceof Anthropic.RateLimitError && error.headers?.get('retry-after') === '1',
    );
  });

  it('sends an error event mid-stream for a stream-error fault', async () => {
    const raw = await postRaw(`${sim.url}/v1/messages`, { model: 'sim-chat', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'x' }] },
      { 'anthropic-version': '2023-06-01', 'x-sim-fault': 'stream-error' });
    const events = parseSse(raw.body);
    assert.equal(events.at(-1)!.event, 'error');
    assert.equal(JSON.parse(events.at(-1)!.data).error.type, 'overloaded_error');
    assert.ok(!events.some((event) => event.event === 'message_stop'));
    const stream = client.messages.stream({ model: 'sim-chat', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-sim-fault': 'stream-error' } });
    await assert.rejects(stream.finalMessage(), (error: unknown) => error instanceof Anthropic.APIError);
  });

  it('lists models in Anthropic\'s shape on /v1/models when anthropic-version is sent', async () => {
    const ids = [];
    for await (const model of client.models.list()) {
      assert.equal(model.type, 'model');
      ids.push(model.id);
    }
    assert.deepEqual(ids, ['sim-chat', 'sim-coder']);
  });
});
