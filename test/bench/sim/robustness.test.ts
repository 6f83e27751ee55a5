import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { postRaw } from './sim-helpers';

/**
 * Whatever a client sends, the simulator answers with a protocol status (200, or the 4xx the
 * real API would send), never a 500 of its own, and keeps serving.
 */

const anything = fc.jsonValue({ maxDepth: 3 });
/** Mostly a valid value, sometimes anything at all: deep enough to reach the generation paths. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: anything });
const text = mostly(fc.string({ maxLength: 40 }));
const count = mostly(fc.integer({ min: -3, max: 40 }));
const message = fc.record({
  role: mostly(fc.constantFrom('user', 'assistant', 'user', 'system', 'tool')),
  content: fc.oneof(text, fc.array(fc.record({ type: fc.constant('text'), text }), { maxLength: 3 })),
});
const tool = fc.record({
  type: fc.constant('function'),
  name: mostly(fc.constantFrom('get_weather', 'search')),
  function: fc.record({ name: mostly(fc.constantFrom('get_weather', 'search')), parameters: anything }, { requiredKeys: ['name'] }),
  input_schema: anything,
}, { requiredKeys: ['type'] });

const body = fc.oneof(
  { weight: 1, arbitrary: anything },
  {
    weight: 6,
    arbitrary: fc.record({
      model: mostly(fc.constantFrom('sim-chat', 'sim-coder', 'sim-chat:latest')),
      messages: mostly(fc.array(message, { minLength: 1, maxLength: 4 })),
      prompt: text,
      suffix: text,
      system: text,
      raw: mostly(fc.boolean()),
      stream: mostly(fc.boolean()),
      stream_options: mostly(fc.record({ include_usage: fc.boolean() })),
      max_tokens: count,
      max_completion_tokens: count,
      n_predict: count,
      options: mostly(fc.record({ num_predict: count, stop: mostly(fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 })), seed: count }, { requiredKeys: [] })),
      tools: mostly(fc.array(tool, { maxLength: 2 })),
      tool_choice: mostly(fc.constantFrom('auto', 'none', 'required')),
      stop: mostly(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 })),
      stop_sequences: mostly(fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 })),
      seed: count,
      input_prefix: text,
      input_suffix: text,
      input_extra: mostly(fc.array(fc.record({ filename: text, text }, { requiredKeys: ['text'] }), { maxLength: 2 })),
    }, { requiredKeys: ['model', 'messages', 'max_tokens'] }),
  },
);

const ROUTES = ['/v1/chat/completions', '/v1/completions', '/api/chat', '/api/generate', '/v1/messages', '/completion', '/infill', '/api/show'];

describe('robustness against arbitrary request bodies', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ outputTokens: 4 });
  });
  after(() => sim.close());

  it('answers every body on every route with a protocol status, never its own 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, async (path, payload) => {
        const reply = await postRaw(`${sim.url}${path}`, payload, { 'anthropic-version': '2023-06-01' });
        assert.equal(reply.error, undefined, `${path}: the connection failed`);
        assert.ok([200, 400, 404].includes(reply.status), `${path} answered ${reply.status}: ${reply.body.slice(0, 200)}`);
      }),
      { numRuns: 400 },
    );
    const health = await fetch(`${sim.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(sim.stats().inFlight, 0);
  });
});
