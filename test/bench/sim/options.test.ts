import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import { chatBody, postJson, suiteSimulators } from './sim-helpers';

describe('simulator options', () => {
  const start = suiteSimulators();

  it('rejects invalid options with every problem named', async () => {
    await assert.rejects(startSimulator({ errorRate: 2, capacity: -1, errorKinds: ['boom' as never] }), (error: Error) =>
      error instanceof TypeError && /errorRate/.test(error.message) && /capacity/.test(error.message) && /errorKinds/.test(error.message));
    await assert.rejects(startSimulator({ latencyMs: { dist: 'uniform', minMs: 10, maxMs: 5 } }), /latencyMs/);
  });

  it('serves custom models on every listing route and rejects others', async () => {
    const sim = await start({ models: ['tiny', 'tiny-coder'] });
    assert.deepEqual((await (await fetch(`${sim.url}/v1/models`)).json()).data.map((m: { id: string }) => m.id), ['tiny', 'tiny-coder']);
    assert.deepEqual((await (await fetch(`${sim.url}/api/tags`)).json()).models.map((m: { name: string }) => m.name), ['tiny:latest', 'tiny-coder:latest']);
    const anthropic = await (await fetch(`${sim.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } })).json();
    assert.deepEqual(anthropic.data.map((m: { id: string }) => m.id), ['tiny', 'tiny-coder']);
    assert.equal((await postJson(`${sim.url}/v1/chat/completions`, chatBody('x'))).status, 404, 'sim-chat is not served');
  });

  it('requires the API key, sent the way each protocol sends it, when one is set', async () => {
    const sim = await start({ apiKey: 'secret' });
    const openai = (headers: Record<string, string>) => postJson(`${sim.url}/v1/chat/completions`, chatBody('x'), headers);
    assert.equal((await openai({})).status, 401);
    assert.equal((await openai({ authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await openai({ authorization: 'Bearer secret' })).status, 200);
    const messages = (headers: Record<string, string>) =>
      postJson(`${sim.url}/v1/messages`, { ...chatBody('x'), max_tokens: 5 }, { 'anthropic-version': '2023-06-01', ...headers });
    const denied = await messages({});
    assert.equal(denied.status, 401);
    assert.equal(denied.json.error.type, 'authentication_error');
    assert.equal((await messages({ 'x-api-key': 'secret' })).status, 200);
    assert.equal((await fetch(`${sim.url}/api/tags`)).status, 401);
    assert.equal((await fetch(`${sim.url}/health`)).status, 200, 'health needs no key');
  });

  it('answers unknown routes with 404 in the path\'s protocol', async () => {
    const sim = await start();
    const v1 = await fetch(`${sim.url}/v1/nothing`);
    assert.equal(v1.status, 404);
    assert.equal((await v1.json()).error.type, 'invalid_request_error');
    const api = await fetch(`${sim.url}/api/nothing`);
    assert.equal(api.status, 404);
    assert.equal(await api.text(), '404 page not found');
  });
});
