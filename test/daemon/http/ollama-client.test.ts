import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

describe('the official ollama client against the daemon', () => {
  let sim: Simulator;
  let daemon: TestDaemon;
  let client: Ollama;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 10, seed: 11, models: ['sim-chat', 'sim-coder', 'other-chat'] });
    daemon = await startTestDaemon(
      simProviderToml('local', 'ollama', sim.url, 'models = ["sim-chat", "sim-coder"]') +
        simProviderToml('compat', 'openai', sim.url, 'models = ["other-chat"]'),
    );
    client = new Ollama({ host: daemon.url, headers: daemon.auth });
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  it('chats without streaming, with Ollama token counts', async () => {
    const response = await client.chat({ model: 'sim-chat', messages: [{ role: 'user', content: 'hello there' }], stream: false });
    assert.equal(response.message.role, 'assistant');
    assert.ok(response.message.content.length > 0);
    assert.equal(response.done, true);
    assert.equal(response.done_reason, 'stop');
    assert.equal(response.eval_count, 10);
    assert.ok(response.prompt_eval_count > 0);
  });

  it('chats with streaming, the same text as without', async () => {
    const body = { model: 'sim-chat', messages: [{ role: 'user' as const, content: 'stream please' }], options: { seed: 4 } };
    const whole = await client.chat({ ...body, stream: false });
    let text = '';
    let last;
    for await (const part of await client.chat({ ...body, stream: true })) {
      text += part.message.content;
      last = part;
    }
    assert.equal(text, whole.message.content);
    assert.equal(last?.done, true);
    assert.equal(last?.eval_count, 10);
  });

  it('generates with a suffix (fill-in-the-middle), streamed and not', async () => {
    const whole = await client.generate({ model: 'sim-coder', prompt: 'def add(a, b):\n    return ', suffix: '\n\nprint(add(1, 2))\n', stream: false, options: { temperature: 0, num_predict: 6 } });
    assert.ok((whole.response ?? '').length > 0);
    assert.equal(whole.done_reason, 'length');
    const upstream = sim.requests.at(-1)!;
    assert.equal(upstream.route, 'ollama.generate');
    assert.equal((upstream.body as { suffix?: string }).suffix, '\n\nprint(add(1, 2))\n');
    let text = '';
    for await (const part of await client.generate({ model: 'sim-coder', prompt: 'def add(a, b):\n    return ', suffix: '\n\nprint(add(1, 2))\n', stream: true, options: { temperature: 0, num_predict: 6 } })) {
      text += part.response;
    }
    assert.equal(text, whole.response);
  });

  it('serves a model from an OpenAI-compatible provider through the Ollama door', async () => {
    const response = await client.chat({ model: 'other-chat', messages: [{ role: 'user', content: 'hi' }], stream: false });
    assert.ok(response.message.content.length > 0);
    assert.equal(sim.requests.at(-1)!.route, 'openai.chat');
  });

  it('lists the models as tags', async () => {
    const { models } = await client.list();
    const names = models.map((m) => m.name).sort();
    assert.deepEqual(names, ['other-chat', 'sim-chat', 'sim-coder']);
  });

  it('answers an unknown model with an Ollama error', async () => {
    await assert.rejects(client.chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }], stream: false }), (error: unknown) => {
      const e = error as { status_code?: number; error?: string; message: string };
      return e.status_code === 404 && /nope/.test(e.message);
    });
  });
});
