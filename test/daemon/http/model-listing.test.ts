import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

describe('model listing on both doors', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1 });
    daemon = await startTestDaemon(
      simProviderToml('a', 'openai', sim.url, 'models = ["sim-chat", "sim-coder"]') +
        simProviderToml('b', 'ollama', sim.url, 'models = ["sim-chat"]') +
        '[routes.fast]\nstrategy = "priority"\ncandidates = [{ provider = "a", model = "sim-chat" }]\n' +
        '[aliases]\ncoder = "a/sim-coder"\n',
    );
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  async function getJson(path: string): Promise<Record<string, unknown>> {
    const response = await request(`${daemon.url}${path}`, { headers: daemon.auth });
    assert.equal(response.statusCode, 200);
    return (await response.body.json()) as Record<string, unknown>;
  }

  it('lists each provider+model once (qualified when two providers serve it), routes and aliases', async () => {
    const models = (await getJson('/v1/models')).data as { id: string; owned_by: string }[];
    assert.deepEqual(models.map((m) => m.id).sort(), ['a/sim-chat', 'b/sim-chat', 'coder', 'fast', 'sim-coder']);
    const tags = (await getJson('/api/tags')).models as { name: string }[];
    assert.deepEqual(tags.map((m) => m.name).sort(), ['a/sim-chat', 'b/sim-chat', 'coder', 'fast', 'sim-coder']);
  });

  it('every listed name can be used as a model', async () => {
    const models = (await getJson('/v1/models')).data as { id: string }[];
    for (const { id } of models) {
      const response = await request(`${daemon.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...daemon.auth },
        body: JSON.stringify({ model: id, messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(response.statusCode, 200, `${id}: ${await response.body.text()}`);
      await response.body.dump();
    }
  });
});
