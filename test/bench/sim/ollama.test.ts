import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { parseNdjson, postRaw } from './sim-helpers';

describe('Ollama protocol, through the official ollama client', () => {
  let sim: Simulator;
  let ollama: Ollama;

  before(async () => {
    sim = await startSimulator({ outputTokens: 6, seed: 5 });
    ollama = new Ollama({ host: sim.url });
  });
  after(() => sim.close());

  it('streams /api/chat by default: message chunks, then done with counts and durations in ns', async () => {
    const raw = await postRaw(`${sim.url}/api/chat`, { model: 'sim-chat', messages: [{ role: 'user', content: 'hello there' }] });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-type'], 'application/x-ndjson');
    const lines = parseNdjson(raw.body);
    assert.equal(lines.length, 7, 'six tokens and the final object');
    assert.ok(lines.slice(0, 6).every((line) => line.done === false && line.message.role === 'assistant'));
    const last = lines.at(-1);
    assert.equal(last.done, true);
    assert.equal(last.done_reason, 'stop');
    assert.equal(last.prompt_eval_count, 2);
    assert.equal(last.eval_count, 6);
    for (const field of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration']) {
      assert.ok(Number.isInteger(last[field]) && last[field] >= 0, field);
    }
    assert.ok(!Number.isNaN(Date.parse(last.created_at)));
  });

  it('chat with the client, streamed and not, gives the same text', async () => {
    const request = { model: 'sim-chat', messages: [{ role: 'user', content: 'Why is the sky blue?' }] };
    const whole = await ollama.chat({ ...request, stream: false });
    assert.equal(whole.done, true);
    assert.equal(whole.message.content.split(' ').length, 6);
    let text = '';
    let final;
    for await (const part of await ollama.chat({ ...request, stream: true })) {
      text += part.message.content;
      if (part.done) final = part;
    }
    assert.equal(text, whole.message.content);
    assert.equal(final!.eval_count, 6);
    assert.equal(sim.requests.at(-1)!.route, 'ollama.chat');
    assert.equal(sim.requests.at(-1)!.stream, true);
  });

  it('accepts the model with its :latest tag', async () => {
    const reply = await ollama.chat({ model: 'sim-chat:latest', messages: [{ role: 'user', content: 'hi' }], stream: false });
    assert.equal(reply.model, 'sim-chat:latest');
  });

  it('generates with suffix, raw and options.num_predict capping with done_reason "length"', async () => {
    const reply = await ollama.generate({ model: 'sim-coder', prompt: 'def add(a, b):', suffix: '    return c', raw: true, options: { num_predict: 4, temperature: 0, seed: 1 }, stream: false });
    assert.equal((reply.response ?? '').split(' ').length, 4);
    assert.equal(reply.done_reason, 'length');
    assert.equal(reply.eval_count, 4);
    assert.equal(reply.prompt_eval_count, 5);
    let streamed = '';
    for await (const part of await ollama.generate({ model: 'sim-coder', prompt: 'def add(a, b):', suffix: '    return c', raw: true, options: { num_predict: 4, temperature: 0, seed: 1 }, stream: true })) {
      streamed += part.response;
    }
    assert.equal(streamed, reply.response);
  });

  it('answers an empty prompt with a "load" reply, as Ollama does', async () => {
    const reply = await ollama.generate({ model: 'sim-chat', prompt: '', stream: false });
    assert.equal(reply.done_reason, 'load');
    assert.equal(reply.response, '');
  });

  it('calls a tool from /api/chat when the user asks about the weather', async () => {
    const reply = await ollama.chat({
      model: 'sim-chat',
      stream: false,
      messages: [{ role: 'user', content: 'What is the weather in Toronto?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
    });
    assert.equal(reply.message.tool_calls?.[0]?.function.name, 'get_weather');
    assert.equal(typeof reply.message.tool_calls?.[0]?.function.arguments.city, 'string');
  });

  it('lists models with tags, details and digests; shows capabilities', async () => {
    const list = await ollama.list();
    assert.deepEqual(list.models.map((model) => model.name), ['sim-chat:latest', 'sim-coder:latest']);
    assert.match(list.models[0]!.digest, /^[0-9a-f]{64}$/);
    assert.equal(list.models[0]!.details.format, 'gguf');
    const coder = await ollama.show({ model: 'sim-coder' });
    assert.ok(coder.capabilities.includes('insert'));
    const chat = await ollama.show({ model: 'sim-chat' });
    assert.ok(!chat.capabilities.includes('insert'));
  });

  it('returns {"error": ...} bodies that the client raises as ResponseError', async () => {
    await assert.rejects(ollama.chat({ model: 'missing', messages: [{ role: 'user', content: 'x' }], stream: false }), (error: any) =>
      error.name === 'ResponseError' && error.status_code === 404 && /not found/.test(error.error));
    const noModel = await postRaw(`${sim.url}/api/generate`, { prompt: 'x' });
    assert.equal(noModel.status, 400);
    assert.deepEqual(JSON.parse(noModel.body), { error: 'model is required' });
    const badJson = await postRaw(`${sim.url}/api/chat`, '{"model": ');
    assert.equal(badJson.status, 400);
    assert.equal(typeof JSON.parse(badJson.body).error, 'string');
  });

  it('sends an in-band {"error"} line for a stream-error fault, which the client raises', async () => {
    const client = new Ollama({ host: sim.url, headers: { 'x-sim-fault': 'stream-error' } });
    await assert.rejects(async () => {
      for await (const part of await client.chat({ model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], stream: true })) void part;
    }, /error was encountered/);
  });
});
