import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bench, phase, withSimulator } from '../bench-test-helpers';

test('TTFT and time per output token match the provider settings', async () => {
  await withSimulator({ ttftMs: 50, tokensPerSecond: 100, outputTokens: 20 }, async (sim) => {
    sim.recording = false;
    const report = await bench(['--scenario', 'blast', '--target', sim.url, '--stream', '--concurrency', '4', '--requests', '40', '--warmup', '4']);
    const p = phase(report);
    assert.equal(p.counts.ok, 40);
    assert.equal(p.outputTokens, 40 * 20, 'tokens from the provider usage');
    const ttft = p.ttft!.summary.p50Ms;
    const tpot = p.tpot!.summary.p50Ms;
    const itl = p.itl!.summary.p50Ms;
    assert.ok(ttft >= 48 && ttft <= 75, `TTFT p50 ${ttft} ms, configured 50`);
    assert.ok(tpot >= 9 && tpot <= 13, `time per output token p50 ${tpot} ms, configured 10`);
    assert.ok(itl >= 5 && itl <= 15, `inter-token latency p50 ${itl} ms`);
    // End to end ≈ TTFT + 19 × 10 ms.
    assert.ok(p.latency!.summary.p50Ms >= 235 && p.latency!.summary.p50Ms <= 300, `latency p50 ${p.latency!.summary.p50Ms}`);
  });
});
