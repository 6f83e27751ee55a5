import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { parseSse, postJson, postRaw } from './sim-helpers';

describe('llama.cpp server protocol', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ outputTokens: 5, seed: 2 });
  });
  after(() => sim.close());

  const infill = {
    input_prefix: 'function add(a, b) {\n  ',
    input_suffix: '\n}',
    input_extra: [{ filename: 'math.js', text: 'export const PI = 3.14;' }],
    n_predict: 32,
  };

  it('/infill answers with content, stop, token counts, stop_type and timings', async () => {
    const { status, json } = await postJson(`${sim.url}/infill`, infill);
    assert.equal(status, 200);
    assert.equal(json.stop, true);
    assert.equal(json.content.split(' ').length, 5);
    assert.equal(json.tokens_predicted, 5);
    assert.equal(json.tokens_evaluated, 5 + 4 + 1, 'words of the extra text, the prefix and the suffix');
    assert.equal(json.stop_type, 'eos');
    assert.equal(json.model, 'sim-coder', 'reports the FIM model it runs');
    for (const field of ['prompt_n', 'prompt_ms', 'predicted_n', 'predicted_ms', 'predicted_per_second']) assert.equal(typeof json.timings[field], 'number', field);
    assert.equal(sim.requests.at(-1)!.route, 'llamacpp.infill');
  });

  it('/infill streams data events of {content, stop:false}, then one with stop:true and no [DONE]', async () => {
    const whole = await postJson(`${sim.url}/infill`, infill);
    const raw = await postRaw(`${sim.url}/infill`, { ...infill, stream: true });
    assert.equal(raw.headers['content-type'], 'text/event-stream');
    const events = parseSse(raw.body).map((event) => JSON.parse(event.data));
    assert.equal(events.length, 6);
    assert.ok(events.slice(0, 5).every((event) => event.stop === false && typeof event.content === 'string'));
    assert.equal(events.map((event) => event.content).join(''), whole.json.content);
    const last = events.at(-1);
    assert.equal(last.stop, true);
    assert.equal(last.tokens_predicted, 5);
    assert.ok(last.timings);
    assert.ok(!raw.body.includes('[DONE]'));
  });

  it('n_predict caps the output with stop_type "limit"; input_extra changes the output', async () => {
    const capped = await postJson(`${sim.url}/infill`, { ...infill, n_predict: 2 });
    assert.equal(capped.json.tokens_predicted, 2);
    assert.equal(capped.json.stop_type, 'limit');
    const a = await postJson(`${sim.url}/infill`, infill);
    const b = await postJson(`${sim.url}/infill`, { ...infill, input_extra: [{ filename: 'other.js', text: 'nothing here' }] });
    assert.notEqual(a.json.content, b.json.content);
  });

  it('/completion takes a prompt, streamed and not', async () => {
    const whole = await postJson(`${sim.url}/completion`, { prompt: 'Once upon a time', n_predict: 3 });
    assert.equal(whole.json.content.split(' ').length, 3);
    assert.equal(whole.json.tokens_evaluated, 4);
    const raw = await postRaw(`${sim.url}/completion`, { prompt: 'Once upon a time', n_predict: 3, stream: true });
    const events = parseSse(raw.body).map((event) => JSON.parse(event.data));
    assert.equal(events.map((event) => event.content).join(''), whole.json.content);
  });

  it('rejects malformed input with llama.cpp\'s error object', async () => {
    const bad = await postJson(`${sim.url}/infill`, { ...infill, input_extra: 'not a list' });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.json.error).sort(), ['code', 'message', 'type']);
    assert.equal(bad.json.error.code, 400);
    assert.equal(bad.json.error.type, 'invalid_request_error');
    const noPrompt = await postJson(`${sim.url}/completion`, { n_predict: 3 });
    assert.equal(noPrompt.status, 400);
  });

  it('/health says ok, and the OpenAI routes work with the openai client', async () => {
    const health = await fetch(`${sim.url}/health`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'none', maxRetries: 0 });
    const reply = await client.chat.completions.create({ model: 'sim-coder', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(reply.choices[0]!.message.content!.split(' ').length, 5);
  });
});
