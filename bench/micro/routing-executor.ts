/**
 * The router's own CPU cost per request, in process: `Router.plan` + `executeRoutedPlan`
 * (deadline, breaker, statistics, retry bookkeeping) against a provider that answers at once,
 * compared with the same provider called through `runAttempt` alone.
 *
 *   npx tsx bench/micro/routing-executor.ts [--requests 200000] [--runs 5]
 *
 * A benchmark, not a test: it prints CPU µs per request (median of the runs) and asserts nothing.
 */
import { parseArgs } from 'node:util';
import type { GatewayRequest, GatewayResponse } from '../../shared/gateway';
import type { RequestContext } from '../../daemon/core/pipeline';
import { ProviderRegistry } from '../../daemon/providers/provider-registry';
import { attemptRunner, runAttempt } from '../../daemon/gateway/run-attempt';
import { executeRoutedPlan } from '../../daemon/routing/execute-route';
import { parseRoutingConfig } from '../../daemon/routing/routes-schema';
import { GatewayMetrics } from '../../daemon/observability/metrics';
import type { Provider, ProviderSettings } from '../../daemon/core/provider';
import { Router } from '../../daemon/routing/router';
import { upperMedian } from '../metrics/median';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200000' }, runs: { type: 'string', default: '5' } } });
const requests = Number(values.requests);

const response: GatewayResponse = { id: 'x', model: 'm', created: 0, text: 'hi', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 } };
function settings(name: string): ProviderSettings {
  return { name, kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'], local: true, prices: {}, maxConnections: 8, connectTimeoutMs: 100, headersTimeoutMs: 100, bodyTimeoutMs: 100, headers: {} };
}
const registry = new ProviderRegistry((s) => ({ settings: s, complete: async () => response, close: async () => {} }) as unknown as Provider);
const all = [settings('a'), settings('b')];
for (const s of all) registry.add(s);
const { config } = parseRoutingConfig({ chat: { strategy: 'lowest-latency', candidates: [{ provider: 'a', model: 'm' }, { provider: 'b', model: 'm' }] } }, { probe_interval_ms: 0 }, all);
const router = new Router({ registry, config });
const deps = { metrics: new GatewayMetrics() };
const attempts = attemptRunner(deps);
const request: GatewayRequest = { kind: 'chat', model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: false, params: {} };
const signal = new AbortController().signal;
const context = (): RequestContext => ({ signal, door: 'openai', directives: {}, requestId: 'r', receivedAt: performance.now() });
const candidate = registry.get('a')!;

async function measure(run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20_000; i++) await run();
  const perRun: number[] = [];
  for (let r = 0; r < Number(values.runs); r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < requests; i++) await run();
    const used = process.cpuUsage(start);
    perRun.push((used.user + used.system) / requests);
  }
  return upperMedian(perRun);
}

async function main(): Promise<void> {
  const bare = await measure(() => runAttempt({ provider: candidate, model: 'm', key: 'a/m' }, request, signal, deps));
  const routed = await measure(async () => {
    const ctx = context();
    return executeRoutedPlan(router.plan(request, ctx).selection, request, ctx, attempts);
  });
  const directModel = await measure(async () => {
    const ctx = context();
    const named = { ...request, model: 'a/m' };
    return executeRoutedPlan(router.plan(named, ctx).selection, named, ctx, attempts);
  });
  console.log(`router cost per request, in process, CPU µs, median of ${values.runs} runs x ${requests} (node ${process.version})`);
  console.log(`runAttempt alone (no routing)              ${bare.toFixed(2)} µs`);
  console.log(`route (2 candidates, lowest-latency)       ${routed.toFixed(2)} µs   (+${(routed - bare).toFixed(2)} µs)`);
  console.log(`model named directly (implicit route)      ${directModel.toFixed(2)} µs   (+${(directModel - bare).toFixed(2)} µs)`);
  await router.close();
}

void main();
