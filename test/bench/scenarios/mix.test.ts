import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bench, phase, withSimulator } from '../bench-test-helpers';

test('the 70/30 mix sends 70±3% of 1,000 requests to the first model, with a per-model breakdown', async () => {
  await withSimulator({ latencyMs: 1 }, async (sim) => {
    const report = await bench(['--scenario', 'mix', '--target', sim.url, '--models', 'sim-chat,sim-coder', '--weights', '70,30', '--requests', '1000', '--concurrency', '20', '--warmup', '0']);
    const p = phase(report);
    assert.equal(p.counts.ok, 1000);
    const [chat, coder] = p.byModel;
    assert.equal(chat!.model, 'sim-chat');
    assert.ok(chat!.fraction >= 0.67 && chat!.fraction <= 0.73, `sim-chat share ${chat!.fraction}`);
    assert.equal(chat!.requests + coder!.requests, 1000);
    // The provider saw the same split.
    const seen = sim.requests.filter((r) => r.model === 'sim-chat').length;
    assert.equal(seen, chat!.requests);
    assert.ok(chat!.p50Ms !== null && coder!.p99Ms !== null);
  });
});
