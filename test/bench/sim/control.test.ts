import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { chatBody, postJson } from './sim-helpers';

describe('control routes for a simulator in another process (/_sim/*)', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({});
  });
  after(() => sim.close());

  it('reads stats, changes behaviour mid-run and resets', async () => {
    await postJson(`${sim.url}/v1/chat/completions`, chatBody('one'));
    const stats = await (await fetch(`${sim.url}/_sim/stats`)).json();
    assert.equal(stats.received, 1);
    assert.equal(stats.completed, 1);

    const configured = await postJson(`${sim.url}/_sim/configure`, { latencyMs: 300, errorRate: 0 });
    assert.deepEqual([configured.status, configured.json], [200, { ok: true }]);
    const began = performance.now();
    await postJson(`${sim.url}/v1/chat/completions`, chatBody('two'));
    assert.ok(performance.now() - began >= 295, 'the new latency applies');

    await postJson(`${sim.url}/_sim/configure`, { latencyMs: null });
    const quick = performance.now();
    await postJson(`${sim.url}/v1/chat/completions`, chatBody('three'));
    assert.ok(performance.now() - quick < 250, 'null unsets it');

    const rejected = await postJson(`${sim.url}/_sim/configure`, { capacity: -3 });
    assert.equal(rejected.status, 400);
    assert.match(rejected.json.error, /capacity/);

    assert.equal((await postJson(`${sim.url}/_sim/reset`, {})).status, 200);
    assert.equal((await (await fetch(`${sim.url}/_sim/stats`)).json()).received, 0);
    assert.equal(sim.requests.length, 0, 'control requests are not recorded');
  });

  it('answers unknown control routes with 404', async () => {
    assert.equal((await fetch(`${sim.url}/_sim/explode`)).status, 404);
  });
});
