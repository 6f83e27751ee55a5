/**
 * Hedged requests through the daemon: with the first candidate slowed, the same request goes
 * to the next one after the first's recent p95 time to first token; the first answer is
 * served and the loser is aborted at the simulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import type { Simulator } from '../../../bench/sim/contract';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { closeAll, provider, received, routingSection, startSims } from './routing-helpers';

const SLOW_TTFT_MS = 1_500;

/** A streamed fill-in-the-middle completion; resolves with who served and the time to the first body chunk. */
async function completion(daemon: TestDaemon, model: string): Promise<{ status: number; servedBy: string; attempts: number; ttftMs: number; text: string }> {
  const started = performance.now();
  const response = await request(`${daemon.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchyard-deadline-ms': '5000', 'x-switchyard-cache': 'off', ...daemon.auth },
    body: JSON.stringify({ model, prompt: 'def add(a, b):\n    ', suffix: '\n', stream: true, max_tokens: 5 }),
    signal: AbortSignal.timeout(10_000),
  });
  let ttftMs = -1;
  let text = '';
  for await (const chunk of response.body) {
    if (ttftMs < 0) ttftMs = performance.now() - started;
    text += chunk.toString();
  }
  return { status: response.statusCode, servedBy: String(response.headers['x-switchyard-provider']), attempts: Number(response.headers['x-switchyard-attempts']), ttftMs, text };
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
}

describe('hedged requests', () => {
  let sims: Simulator[] = [];
  let daemon: TestDaemon;

  before(async () => {
    sims = await startSims(2, { ttftMs: 20, latencyMs: 20, tokensPerSecond: 200, outputTokens: 5 });
    daemon = await startTestDaemon(
      provider('slow', sims[0]!.url) +
        provider('fast', sims[1]!.url) +
        routingSection() +
        `[routes.complete]\nhedge = { min_samples = 5 }\ncandidates = [{ provider = "slow", model = "sim-coder" }, { provider = "fast", model = "sim-coder" }]\n` +
        `[routes.steady]\nhedge = { after_ms = 1000 }\ncandidates = [{ provider = "slow", model = "sim-coder" }, { provider = "fast", model = "sim-coder" }]\n` +
        `[routes.steady-100]\nhedge = { after_ms = 100 }\ncandidates = [{ provider = "slow", model = "sim-coder" }, { provider = "fast", model = "sim-coder" }]\n` +
        `[routes.unhedged]\ncandidates = [{ provider = "slow", model = "sim-coder" }, { provider = "fast", model = "sim-coder" }]\n`,
      { logLevel: 'warn' },
    );
  });
  after(() => closeAll(daemon, sims));

  it('does not hedge while the first candidate answers within the hedge delay', { timeout: 30_000 }, async () => {
    // Also gives the slow candidate the samples its p95 needs (statistics are per provider+model, shared by routes).
    for (let i = 0; i < 8; i++) {
      const reply = await completion(daemon, 'steady');
      assert.equal(reply.status, 200);
      assert.equal(reply.servedBy, 'slow');
      assert.equal(reply.attempts, 1);
    }
    assert.equal(received(sims[1]!), 0, 'the second candidate got nothing');
  });

  it('with the first candidate slowed, p99 time to first token stays near the fast provider’s, and each loser is aborted', { timeout: 60_000 }, async (t) => {
    const [slow, fast] = sims as [Simulator, Simulator];
    slow.configure({ ttftMs: SLOW_TTFT_MS });
    slow.reset();
    fast.reset();
    const ttfts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const reply = await completion(daemon, 'complete');
      assert.equal(reply.status, 200);
      assert.equal(reply.servedBy, 'fast');
      assert.equal(reply.attempts, 2, 'two upstream calls: the first candidate and the hedge');
      assert.match(reply.text, /data: \[DONE\]/);
      ttfts.push(reply.ttftMs);
    }
    const direct: number[] = [];
    for (let i = 0; i < 20; i++) direct.push((await completion(daemon, `fast/sim-coder`)).ttftMs);
    t.diagnostic(`p99 TTFT: hedged ${p99(ttfts).toFixed(1)} ms, fast provider alone ${p99(direct).toFixed(1)} ms, slow provider ${SLOW_TTFT_MS} ms`);
    assert.ok(p99(ttfts) < SLOW_TTFT_MS / 3, `hedged p99 ${p99(ttfts)} ms`);

    // Every request the slow provider got was aborted by the gateway, none finished.
    await slow.waitForAbort(undefined, 2_000);
    const slowRequests = slow.requests.filter((r) => r.route === 'openai.completions');
    assert.equal(slowRequests.length, 20);
    for (const record of slowRequests) {
      assert.ok(record.abortedAt !== undefined || record.finishedAt === undefined, 'aborted, not finished');
      assert.equal(record.finishedAt, undefined);
    }
    assert.ok(slowRequests.every((r) => r.abortedAt !== undefined && r.abortedAt - r.receivedAt < SLOW_TTFT_MS), 'aborted before its first token');

    const view = await (await request(`${daemon.url}/v1/switchyard/providers`, { headers: daemon.auth })).body.json() as { routes: Array<{ name: string; counts: Record<string, number> }> };
    const counts = view.routes.find((r) => r.name === 'complete')!.counts;
    assert.equal(counts.hedges, 20);
    assert.equal(counts.hedgeWins, 20);
    assert.equal(counts.hedgeLosses, 0);
    const metrics = await (await request(`${daemon.url}/metrics`, { headers: daemon.auth })).body.text();
    for (const [result, count] of [['fired', 20], ['won', 20], ['lost', 0]] as const) {
      assert.match(metrics, new RegExp(`^switchyard_hedges_total\\{route="complete",result="${result}"\\} ${count}$`, 'm'));
    }
  });

  it('a non-streamed request is hedged on its whole answer, and the loser is aborted', { timeout: 30_000 }, async () => {
    const [slow, fast] = sims as [Simulator, Simulator];
    slow.configure({ latencyMs: SLOW_TTFT_MS, ttftMs: SLOW_TTFT_MS });
    slow.reset();
    const aborted = slow.waitForAbort((r) => r.stream === false, 5_000);
    const started = performance.now();
    const response = await request(`${daemon.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchyard-cache': 'off', ...daemon.auth },
      body: JSON.stringify({ model: 'steady-100', prompt: 'x', max_tokens: 5 }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.body.json()) as { choices: Array<{ text: string }> };
    const ms = performance.now() - started;
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-switchyard-provider'], 'fast');
    assert.equal(response.headers['x-switchyard-attempts'], '2');
    assert.ok(body.choices[0]!.text.length > 0);
    assert.ok(ms < SLOW_TTFT_MS / 2, `${ms} ms`);
    const record = await aborted;
    assert.equal(record.finishedAt, undefined);
    void fast;
  });

  it('without hedging the slow candidate is waited for', { timeout: 30_000 }, async () => {
    const reply = await completion(daemon, 'unhedged');
    assert.equal(reply.servedBy, 'slow');
    assert.ok(reply.ttftMs >= SLOW_TTFT_MS - 50, `${reply.ttftMs} ms`);
  });
});
