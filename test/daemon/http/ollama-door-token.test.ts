import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { exchange } from './wire-helpers';

describe('the Ollama door without a token (server.ollama_door_without_token)', () => {
  let sim: Simulator;
  let open: TestDaemon;
  let closed: TestDaemon;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 3, models: ['sim-chat'] });
    const provider = simProviderToml('local', 'ollama', sim.url, 'models = ["sim-chat"]');
    open = await startTestDaemon(`${provider}[server]\nollama_door_without_token = true\n`, { logLevel: 'warn' });
    closed = await startTestDaemon(provider, { logLevel: 'warn' });
  });
  after(async () => {
    await open?.close();
    await closed?.close();
    await sim?.close();
  });

  it('when on, a client that cannot send a header finds the Ollama (GET /) and uses it; the OpenAI door still wants the token', async () => {
    const root = await exchange(`${open.url}/`);
    assert.equal(root.status, 200);
    assert.equal(root.text, 'Ollama is running');
    const client = new Ollama({ host: open.url });
    assert.ok((await client.list()).models.some((m) => m.name === 'sim-chat'));
    const reply = await client.chat({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }], stream: false });
    assert.ok(reply.message.content.length > 0);
    assert.equal((await exchange(`${open.url}/v1/models`)).status, 401);
  });

  it('when off (the default), even the root wants the token', async () => {
    assert.equal((await exchange(`${closed.url}/`)).status, 401);
    assert.equal((await exchange(`${closed.url}/api/version`)).status, 401);
    assert.equal((await exchange(`${closed.url}/`, { headers: closed.auth })).status, 200);
  });
});
