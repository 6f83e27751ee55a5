/**
 * Each adapter against the simulated provider, which speaks the four wire protocols as their
 * providers document them: chat with and without streaming, fill-in-the-middle, tool calls,
 * usage as the provider counted it, finish reason `length`, and model listing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../../bench/sim';
import type { Provider } from '../../../daemon/core/provider';
import { assemble, chatRequest, fimRequest, KINDS, ROUTES, simProvider, toolRequest, usageOf } from './sim-fixtures';

const signal = () => new AbortController().signal;

for (const kind of KINDS) {
  describe(`${kind} adapter against the simulator`, () => {
    let sim: Simulator;
    let provider: Provider;

    before(async () => {
      sim = await startSimulator({ seed: 7, outputTokens: 12, apiKey: 'sim-key' });
      provider = simProvider(sim, kind, { apiKey: 'sim-key' });
    });
    after(async () => {
      await provider.close();
      await sim.close();
    });

    it('answers a chat, with the usage the provider counted', async () => {
      const response = await provider.complete({ request: chatRequest(false), model: 'sim-chat', signal: signal() });
      const record = sim.requests.at(-1)!;
      assert.equal(record.route, ROUTES[kind].chat);
      assert.equal(record.stream, false);
      assert.equal(record.status, 200);
      assert.ok(response.text.length > 0);
      assert.equal(response.finishReason, 'stop');
      assert.deepEqual(response.usage, record.usage);
      assert.equal(response.usage.completionTokens, 12);
    });

    it('streams the same chat as text events and one end event with usage', async () => {
      const whole = await provider.complete({ request: chatRequest(false), model: 'sim-chat', signal: signal() });
      const streamed = await assemble(await provider.stream({ request: chatRequest(true), model: 'sim-chat', signal: signal() }));
      const record = sim.requests.at(-1)!;
      assert.equal(record.stream, true);
      assert.equal(record.abortedAt, undefined);
      assert.equal(streamed.text, whole.text, 'deterministic output is the same streamed or not');
      assert.ok(streamed.events.filter((e) => e.type === 'text').length > 1, 'text arrives in several events');
      assert.equal(streamed.ends.length, 1);
      assert.equal(streamed.events.at(-1)!.type, 'end');
      assert.equal(streamed.ends[0]!.finishReason, 'stop');
      assert.deepEqual(streamed.ends[0]!.usage, record.usage);
    });

    it('stops at max_tokens with finish reason length', async () => {
      const response = await provider.complete({ request: chatRequest(false, { max_tokens: 3 }), model: 'sim-chat', signal: signal() });
      assert.equal(response.finishReason, 'length');
      assert.equal(response.usage.completionTokens, 3);
      const streamed = await assemble(await provider.stream({ request: chatRequest(true, { max_tokens: 3 }), model: 'sim-chat', signal: signal() }));
      assert.equal(streamed.ends[0]!.finishReason, 'length');
      assert.equal(streamed.ends[0]!.usage?.completionTokens, 3);
    });

    if (ROUTES[kind].fim !== undefined) {
      it('sends a completion with a suffix as fill-in-the-middle, streamed and not', async () => {
        const response = await provider.complete({ request: fimRequest(false), model: 'sim-coder', signal: signal() });
        const record = sim.requests.at(-1)!;
        assert.equal(record.route, ROUTES[kind].fim);
        assert.ok(response.text.length > 0);
        assert.deepEqual(response.usage, record.usage);
        const streamed = await assemble(await provider.stream({ request: fimRequest(true), model: 'sim-coder', signal: signal() }));
        assert.equal(sim.requests.at(-1)!.route, ROUTES[kind].fim);
        assert.equal(streamed.text, response.text);
        assert.deepEqual(streamed.ends[0]!.usage, usageOf(sim, ROUTES[kind].fim!));
      });

      it('sends a completion without a suffix to the plain completion route', async () => {
        const response = await provider.complete({ request: { ...fimRequest(false), suffix: undefined }, model: 'sim-coder', signal: signal() });
        assert.equal(sim.requests.at(-1)!.route, ROUTES[kind].completion);
        assert.ok(response.text.length > 0);
      });
    } else {
      it('refuses fill-in-the-middle with a clear 400 and sends nothing upstream', async () => {
        const before = sim.stats().received;
        await assert.rejects(provider.complete({ request: fimRequest(false), model: 'sim-coder', signal: signal() }), (error: any) => error.code === 'unsupported' && error.status === 400);
        assert.equal(sim.stats().received, before);
        const response = await provider.complete({ request: { ...fimRequest(false), suffix: undefined }, model: 'sim-coder', signal: signal() });
        assert.equal(sim.requests.at(-1)!.route, ROUTES[kind].completion);
        assert.ok(response.text.length > 0);
      });
    }

    it('returns tool calls with JSON arguments, and streams them as deltas that add up', async () => {
      const response = await provider.complete({ request: toolRequest(false), model: 'sim-chat', signal: signal() });
      assert.equal(response.finishReason, 'tool_calls');
      assert.equal(response.toolCalls?.length, 1);
      const call = response.toolCalls![0]!;
      assert.equal(call.function.name, 'get_weather');
      assert.ok(call.id.length > 0);
      assert.equal(typeof JSON.parse(call.function.arguments).city, 'string');
      const streamed = await assemble(await provider.stream({ request: toolRequest(true), model: 'sim-chat', signal: signal() }));
      assert.equal(streamed.ends[0]!.finishReason, 'tool_calls');
      assert.equal(streamed.toolCalls.length, 1);
      assert.equal(streamed.toolCalls[0]!.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(streamed.toolCalls[0]!.function.arguments), JSON.parse(call.function.arguments));
    });

    it('lists the simulator’s models and passes its probe', async () => {
      const models = await provider.listModels(signal());
      // Ollama names every model with its tag, as `ollama list` does.
      const ids = models.map((m) => (kind === 'ollama' ? m.id.replace(/:latest$/, '') : m.id));
      assert.ok(ids.includes('sim-chat') && ids.includes('sim-coder'), `got ${ids.join(', ')}`);
      assert.ok(models.every((m) => m.provider === `sim-${kind}`));
      await provider.probe(signal());
    });

    it('is rejected (401, not retryable) with a wrong key', async () => {
      const wrong = simProvider(sim, kind, { apiKey: 'wrong' });
      try {
        await assert.rejects(wrong.complete({ request: chatRequest(false), model: 'sim-chat', signal: signal() }), (error: any) => {
          assert.equal(error.code, 'upstreamRejected');
          assert.equal(error.status, 401);
          assert.equal(error.retryable, false);
          return true;
        });
      } finally {
        await wrong.close();
      }
    });
  });
}
