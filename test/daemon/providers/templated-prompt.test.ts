/**
 * `/api/generate` without `raw: true` has the model's template applied, as Ollama does, on
 * upstreams whose completion route takes a bare prompt: llama.cpp through `/apply-template`,
 * an OpenAI-compatible server through its chat route. Checked by what the simulator receives.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { SimRequestRecord, Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { createProvider } from '../../../daemon/providers/create-provider';
import { post } from '../routing/routing-helpers';
import { settingsFor, startWireServer } from './wire-server';

const MODEL = 'sim-chat';

describe('/api/generate applies the model template unless raw', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    sim = await startSimulator({ ttftMs: 1, outputTokens: 4, models: [MODEL] });
    daemon = await startTestDaemon(simProviderToml('llama', 'llamacpp', sim.url, `models = ["${MODEL}"]`) + simProviderToml('oai', 'openai', sim.url, `models = ["${MODEL}"]`));
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  async function generate(body: object): Promise<SimRequestRecord[]> {
    sim.reset();
    const reply = await post(daemon, '/api/generate', body);
    assert.equal(reply.status, 200, reply.text);
    const lines = reply.text.trim().split('\n').map((line) => JSON.parse(line) as { response?: string; done: boolean });
    assert.ok(lines.at(-1)!.done, 'a complete answer');
    assert.ok(lines.map((line) => line.response ?? '').join('').length > 0, 'with text');
    return sim.requests.filter((r) => r.route !== 'openai.models' && r.route !== 'llamacpp.health');
  }

  for (const stream of [true, false]) {
    it(`llama.cpp (${stream ? 'streamed' : 'whole'}): the template from /apply-template, then /completion with the formatted prompt`, async () => {
      const [applied, completion, ...rest] = await generate({ model: `llama/${MODEL}`, prompt: 'Why is the sky blue?', system: 'Be brief.', stream });
      assert.equal(rest.length, 0);
      assert.equal(applied!.route, 'llamacpp.apply-template');
      assert.deepEqual((applied!.body as { messages: unknown }).messages, [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Why is the sky blue?' },
      ]);
      assert.equal(completion!.route, 'llamacpp.completion');
      assert.equal(
        (completion!.body as { prompt: string }).prompt,
        '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhy is the sky blue?<|im_end|>\n<|im_start|>assistant\n',
      );
      assert.equal(completion!.stream, stream);
    });

    it(`OpenAI-compatible (${stream ? 'streamed' : 'whole'}): the chat route, which applies the template itself`, async () => {
      const [chat, ...rest] = await generate({ model: `oai/${MODEL}`, prompt: 'Why is the sky blue?', system: 'Be brief.', stream });
      assert.equal(rest.length, 0);
      assert.equal(chat!.route, 'openai.chat');
      assert.deepEqual((chat!.body as { messages: unknown }).messages, [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Why is the sky blue?' },
      ]);
    });
  }

  it('raw: true sends the prompt as it is', async () => {
    const [llama, ...rest] = await generate({ model: `llama/${MODEL}`, prompt: '<s>[INST] hi [/INST]', raw: true });
    assert.equal(rest.length, 0);
    assert.equal(llama!.route, 'llamacpp.completion');
    assert.equal((llama!.body as { prompt: string }).prompt, '<s>[INST] hi [/INST]');
    const [oai] = await generate({ model: `oai/${MODEL}`, prompt: '<s>[INST] hi [/INST]', raw: true });
    assert.equal(oai!.route, 'openai.completions');
    assert.equal((oai!.body as { prompt: string }).prompt, '<s>[INST] hi [/INST]');
  });

  it('an OpenAI completion and fill-in-the-middle keep the bare prompt', async () => {
    sim.reset();
    const reply = await post(daemon, '/v1/completions', { model: `llama/${MODEL}`, prompt: 'once upon', max_tokens: 4 });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(sim.requests.map((r) => r.route).filter((route) => route !== 'llamacpp.health'), ['llamacpp.completion']);
    const [infill] = await generate({ model: `llama/${MODEL}`, prompt: 'def f(', suffix: '):' });
    assert.equal(infill!.route, 'llamacpp.infill');
  });
});

describe('a llama.cpp build without /apply-template', () => {
  it('answers 404 there, and the chat route applies the template instead', async () => {
    const server = await startWireServer((req, res) => {
      if (req.path === '/apply-template') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: MODEL, choices: [{ index: 0, message: { role: 'assistant', content: 'Rayleigh.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 2 } }),
      );
    });
    const provider = createProvider(settingsFor('llamacpp', server.url));
    try {
      const response = await provider.complete({
        request: { kind: 'completion', model: MODEL, prompt: 'Why is the sky blue?', raw: false, stream: false, params: {} },
        model: MODEL,
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(response.text, 'Rayleigh.');
      assert.deepEqual(server.requests.map((r) => r.path), ['/apply-template', '/v1/chat/completions']);
      assert.deepEqual(server.requests[1]!.body.messages, [{ role: 'user', content: 'Why is the sky blue?' }]);
    } finally {
      await provider.close();
      await server.close();
    }
  });
});
