import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Simulator } from '../../../bench/sim/index';
import { postJson, suiteSimulators } from './sim-helpers';

describe('deterministic output', () => {
  const start = suiteSimulators();

  const chat = async (sim: Simulator, content: string, extra: Record<string, unknown> = {}) =>
    (await postJson(`${sim.url}/v1/chat/completions`, { model: 'sim-chat', messages: [{ role: 'user', content }], ...extra })).json;

  it('gives the same words for the same seed and request, on any simulator instance', async () => {
    const a = await start({ seed: 1234, outputTokens: 12 });
    const b = await start({ seed: 1234, outputTokens: 12 });
    const first = await chat(a, 'the same question');
    assert.equal((await chat(a, 'the same question')).choices[0].message.content, first.choices[0].message.content);
    assert.equal((await chat(b, 'the same question')).choices[0].message.content, first.choices[0].message.content);
  });

  it('gives different words for another seed, another input or another model', async () => {
    const a = await start({ seed: 1, outputTokens: 12 });
    const b = await start({ seed: 2, outputTokens: 12 });
    const base = (await chat(a, 'question')).choices[0].message.content;
    assert.notEqual((await chat(b, 'question')).choices[0].message.content, base);
    assert.notEqual((await chat(a, 'another question')).choices[0].message.content, base);
    const coder = (await postJson(`${a.url}/v1/chat/completions`, { model: 'sim-coder', messages: [{ role: 'user', content: 'question' }] })).json;
    assert.notEqual(coder.choices[0].message.content, base);
  });

  it('draws a length from {min, max} that is stable per request and spread across requests', async () => {
    const sim = await start({ seed: 7, outputTokens: { min: 3, max: 30 } });
    const lengths = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const reply = await chat(sim, `prompt number ${i}`);
      const again = await chat(sim, `prompt number ${i}`);
      assert.equal(reply.usage.completion_tokens, again.usage.completion_tokens);
      assert.ok(reply.usage.completion_tokens >= 3 && reply.usage.completion_tokens <= 30);
      lengths.add(reply.usage.completion_tokens);
    }
    assert.ok(lengths.size > 5, `lengths vary: ${[...lengths].join(',')}`);
  });

  it('counts prompt tokens as words and caps output at each protocol\'s max-tokens field', async () => {
    const sim = await start({ outputTokens: 10 });
    const openai = await chat(sim, 'one two three four', { max_tokens: 4 });
    assert.deepEqual([openai.usage.prompt_tokens, openai.usage.completion_tokens, openai.choices[0].finish_reason], [4, 4, 'length']);
    const ollama = (await postJson(`${sim.url}/api/generate`, { model: 'sim-chat', prompt: 'one two', stream: false, options: { num_predict: 3 } })).json;
    assert.deepEqual([ollama.prompt_eval_count, ollama.eval_count, ollama.done_reason], [2, 3, 'length']);
    const unlimited = (await postJson(`${sim.url}/api/generate`, { model: 'sim-chat', prompt: 'one two', stream: false, options: { num_predict: -1 } })).json;
    assert.deepEqual([unlimited.eval_count, unlimited.done_reason], [10, 'stop']);
    const anthropic = (await postJson(`${sim.url}/v1/messages`, { model: 'sim-chat', max_tokens: 5, messages: [{ role: 'user', content: 'a b c' }] }, { 'anthropic-version': '2023-06-01' })).json;
    assert.deepEqual([anthropic.usage.input_tokens, anthropic.usage.output_tokens, anthropic.stop_reason], [3, 5, 'max_tokens']);
    const llama = (await postJson(`${sim.url}/completion`, { prompt: 'a', n_predict: 6 })).json;
    assert.deepEqual([llama.tokens_predicted, llama.stop_type], [6, 'limit']);
    const legacy = (await postJson(`${sim.url}/v1/completions`, { model: 'sim-coder', prompt: 'x' })).json;
    assert.equal(legacy.usage.completion_tokens, 10, 'the default max_tokens of 16 is above 10');
    const header = (await postJson(`${sim.url}/v1/chat/completions`, { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }] }, { 'x-sim-output-tokens': '2' })).json;
    assert.equal(header.usage.completion_tokens, 2);
    assert.equal(sim.stats().completionTokens, 4 + 3 + 10 + 5 + 6 + 10 + 2);
  });

  it('gives a conversation the same words on OpenAI, Ollama and Anthropic (system prompt lifted out or not)', async () => {
    const sim = await start({ seed: 21, outputTokens: 9 });
    const messages = [{ role: 'user', content: 'Plan a trip' }, { role: 'assistant', content: 'Where to?' }, { role: 'user', content: 'Lisbon' }];
    const openai = (await postJson(`${sim.url}/v1/chat/completions`, { model: 'sim-chat', messages: [{ role: 'system', content: 'Be brief.' }, ...messages] })).json;
    const ollama = (await postJson(`${sim.url}/api/chat`, { model: 'sim-chat', stream: false, messages: [{ role: 'system', content: 'Be brief.' }, ...messages] })).json;
    const anthropic = (await postJson(`${sim.url}/v1/messages`, { model: 'sim-chat', max_tokens: 50, system: 'Be brief.', messages }, { 'anthropic-version': '2023-06-01' })).json;
    const text = openai.choices[0].message.content;
    assert.equal(ollama.message.content, text);
    assert.equal(anthropic.content[0].text, text);
    assert.deepEqual([ollama.prompt_eval_count, anthropic.usage.input_tokens], [openai.usage.prompt_tokens, openai.usage.prompt_tokens]);
  });

  it('mixes the request\'s own seed into the output', async () => {
    const sim = await start({ seed: 3, outputTokens: 12 });
    const plain = (await chat(sim, 'seeded question')).choices[0].message.content;
    const seeded = (await chat(sim, 'seeded question', { seed: 11 })).choices[0].message.content;
    assert.notEqual(seeded, plain);
    assert.equal((await chat(sim, 'seeded question', { seed: 11 })).choices[0].message.content, seeded);
  });

  it('ends the output before a stop sequence, in every protocol\'s terms', async () => {
    const sim = await start({ seed: 8, outputTokens: 12 });
    const full = (await chat(sim, 'stop somewhere')).choices[0].message.content as string;
    const stop = ' ' + full.split(' ')[6];
    const expected = full.slice(0, full.indexOf(stop));
    const openai = await chat(sim, 'stop somewhere', { stop });
    assert.equal(openai.choices[0].message.content, expected);
    assert.equal(openai.choices[0].finish_reason, 'stop');
    assert.ok(openai.usage.completion_tokens < 12 && openai.usage.completion_tokens > expected.split(' ').length - 1);

    const anthropic = (await postJson(`${sim.url}/v1/messages`, { model: 'sim-chat', max_tokens: 100, stop_sequences: [stop], messages: [{ role: 'user', content: 'stop somewhere' }] }, { 'anthropic-version': '2023-06-01' })).json;
    assert.deepEqual([anthropic.content[0].text, anthropic.stop_reason, anthropic.stop_sequence], [expected, 'stop_sequence', stop]);
    const ollama = (await postJson(`${sim.url}/api/chat`, { model: 'sim-chat', stream: false, options: { stop: [stop] }, messages: [{ role: 'user', content: 'stop somewhere' }] })).json;
    assert.deepEqual([ollama.message.content, ollama.done_reason], [expected, 'stop']);
    const llama = (await postJson(`${sim.url}/v1/chat/completions`, { model: 'sim-chat', stop: [stop], stream: false, messages: [{ role: 'user', content: 'stop somewhere' }] })).json;
    assert.equal(llama.choices[0].message.content, expected);
  });

  it('reports llama.cpp stop_type "word" with the stopping word', async () => {
    const sim = await start({ seed: 8, outputTokens: 12 });
    const full = (await postJson(`${sim.url}/completion`, { prompt: 'go' })).json.content as string;
    const stop = full.split(' ')[4]!;
    const stopped = (await postJson(`${sim.url}/completion`, { prompt: 'go', stop: [stop] })).json;
    assert.equal(stopped.content, full.slice(0, full.indexOf(stop)));
    assert.deepEqual([stopped.stop_type, stopped.stopping_word], ['word', stop]);
  });
});
