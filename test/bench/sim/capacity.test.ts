import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimRequestRecord } from '../../../bench/sim/index';
import { chatBody, postJson, suiteSimulators } from './sim-helpers';

/** The most records whose [startedAt, finishedAt) intervals overlap at one instant. */
function maxOverlap(records: readonly SimRequestRecord[]): number {
  const edges = records.flatMap((record) => [[record.startedAt!, 1], [record.finishedAt!, -1]] as const);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of edges) peak = Math.max(peak, (open += delta));
  return peak;
}

describe('capacity', () => {
  const startSim = suiteSimulators();
  const start = (capacity: number, latencyMs: number) => startSim({ capacity, latencyMs });

  it('with capacity 2, six concurrent requests generate at most two at a time, in arrival order', async () => {
    const sim = await start(2, 80);
    const began = Date.now();
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => postJson(`${sim.url}/v1/chat/completions`, chatBody(`request ${i}`))));
    const elapsed = Date.now() - began;
    assert.ok(replies.every((reply) => reply.status === 200));
    assert.equal(sim.stats().peakGenerating, 2);
    assert.equal(maxOverlap(sim.requests), 2);
    assert.ok(elapsed >= 3 * 80 - 10, `three rounds of 80 ms, took ${elapsed} ms`);
    const byArrival = [...sim.requests].sort((a, b) => a.id - b.id);
    const startOrder = [...byArrival].sort((a, b) => a.startedAt! - b.startedAt!);
    assert.deepEqual(startOrder.map((r) => r.id).slice(0, 2).sort(), byArrival.map((r) => r.id).slice(0, 2).sort());
    assert.ok(byArrival.slice(2).every((r) => r.startedAt! - r.receivedAt >= 70), 'the other four waited');
    assert.deepEqual([sim.stats().generating, sim.stats().queued, sim.stats().inFlight], [0, 0, 0]);
  });

  it('without a capacity, all six generate at once', async () => {
    const sim = await start(0, 80);
    await Promise.all(Array.from({ length: 6 }, (_, i) => postJson(`${sim.url}/v1/chat/completions`, chatBody(`request ${i}`))));
    assert.equal(sim.stats().peakGenerating, 6);
  });

  it('a queued request whose client aborts leaves the line and never generates', async () => {
    const sim = await start(1, 250);
    const first = postJson(`${sim.url}/v1/chat/completions`, chatBody('first'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const controller = new AbortController();
    const queued = fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chatBody('queued')), signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(sim.stats().queued, 1);
    const aborted = sim.waitForAbort((record) => (record.body as { messages: { content: string }[] }).messages[0]!.content === 'queued');
    controller.abort();
    await assert.rejects(queued);
    const record = await aborted;
    assert.equal(record.startedAt, undefined);
    assert.equal(sim.stats().queued, 0);
    const third = postJson(`${sim.url}/v1/chat/completions`, chatBody('third'));
    assert.equal((await first).status, 200);
    assert.equal((await third).status, 200);
    const [firstRecord, , thirdRecord] = sim.requests;
    assert.ok(thirdRecord!.startedAt! >= firstRecord!.finishedAt! - 1, 'the third waited for the first, not for the aborted one');
    assert.ok(thirdRecord!.finishedAt! - firstRecord!.receivedAt < 250 * 3 - 20, 'had the aborted request generated, the third would end after three rounds');
  });

  it('raising the capacity at runtime lets the queue drain', async () => {
    const sim = await start(1, 150);
    const replies = Array.from({ length: 3 }, (_, i) => postJson(`${sim.url}/v1/chat/completions`, chatBody(`r${i}`)));
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(sim.stats().queued, 2);
    sim.configure({ capacity: 3 });
    assert.equal(sim.stats().queued, 0);
    assert.equal(sim.stats().generating, 3);
    await Promise.all(replies);
  });
});
