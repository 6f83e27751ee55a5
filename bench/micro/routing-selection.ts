/**
 * Route selection speed: ns per selection over a route of 20 candidates, for each strategy.
 * Measures what every request pays: the eligibility pass (health, breaker, 429 back-off,
 * deadline, cloud) plus the strategy, as `CompiledRoute.selectFirst`, and the whole
 * `Router.plan` (route lookup, deadline, the plan object) for the same route.
 *
 *   npx tsx bench/micro/routing-selection.ts [--iterations 2000000] [--runs 5] [--json FILE]
 *
 * A benchmark, not a test: it prints figures (median and best of the runs, in CPU time) and asserts nothing.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { GatewayRequest } from '../../shared/gateway';
import type { RequestContext } from '../../daemon/core/pipeline';
import { parseRoutingConfig } from '../../daemon/routing/routes-schema';
import { Router } from '../../daemon/routing/router';
import { STRATEGY_NAMES, type StrategyName } from '../../daemon/routing/strategies';
import { upperMedian } from '../metrics/median';
import { settingsRegistry } from './rows/provider-fixtures';

const CANDIDATES = 20;
const { values } = parseArgs({
  options: { iterations: { type: 'string', default: '2000000' }, runs: { type: 'string', default: '5' }, json: { type: 'string' } },
});
const iterations = Number(values.iterations);
const runs = Number(values.runs);

// The same providers and live-state-free registry as the micro suite's routing rows.
const { registry, providers } = settingsRegistry(CANDIDATES);

const routes: Record<string, unknown> = {};
for (const strategy of STRATEGY_NAMES) {
  routes[strategy] = {
    strategy,
    allow_cloud: true,
    candidates: providers.map((p, i) => ({ provider: p.name, model: 'm', weight: 1 + (i % 4) })),
  };
}
// The first-match strategies stop at the first usable candidate; this route shows the cost when
// the first half of the list is out (breakers open), so ten candidates are checked first.
routes['priority-half-out'] = { strategy: 'priority', allow_cloud: true, candidates: providers.map((p) => ({ provider: p.name, model: 'm2' })) };
// Breakers opened below stay open for the whole run (the default cooldown is shorter than a run).
const { config } = parseRoutingConfig(routes, { probe_interval_ms: 0, breaker: { cooldown_ms: 3_600_000 } }, providers);
const router = new Router({ registry, config });

// Realistic live state: every candidate measured, some busy, a few unusable.
const now = performance.now();
router.allCandidates().forEach((candidate, i) => {
  for (let k = 0; k < 10; k++) candidate.stats.recordFirstAnswer(50 + ((i * 37 + k * 11) % 400), true, now);
  candidate.stats.inFlight = (i * 7) % 5;
});
const skipped = router.allCandidates();
for (let k = 0; k < 4; k++) skipped[0]!.breaker.onFailure(now); // breaker still closed (threshold 5)
for (let k = 0; k < 5; k++) skipped[3]!.breaker.onFailure(now); // open
skipped[5]!.stats.rateLimitedUntil = now + 3_600_000; // backing off after a 429
for (let i = 0; i < 10; i++) {
  const breaker = router.breaker(`p${i}/m2`);
  for (let k = 0; k < 5; k++) breaker.onFailure(now);
}

const request: GatewayRequest = { kind: 'chat', model: 'x', messages: [{ role: 'user', content: 'hi' }], stream: true, params: {} };

/**
 * [median, best] ns/op over the runs. Time is the process's own CPU time (user + system), not
 * wall time: on a shared 2-core machine, wall time also counts the moments another process
 * had the core. The best run is the least disturbed by cache effects of other work.
 */
function measure(run: (i: number) => number): [number, number] {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += run(i);
  const perRun: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < iterations; i++) sink += run(i);
    const used = process.cpuUsage(start);
    perRun.push(((used.user + used.system) * 1000) / iterations);
  }
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
  return [upperMedian(perRun), Math.min(...perRun)];
}

const round = (ns: number) => Math.round(ns * 10) / 10;
const results: Array<{ strategy: StrategyName | 'priority-half-out'; selectNsPerOp: number; selectBestNsPerOp: number; planNsPerOp: number; planBestNsPerOp: number }> = [];
for (const strategy of [...STRATEGY_NAMES, 'priority-half-out' as const]) {
  const route = router.route(strategy)!;
  const selectionInput = { streamed: true, now, exploreAfterMs: 30_000, remainingMs: 120_000 };
  const [selectNs, selectBest] = measure(() => route.selectFirst(selectionInput));
  const context: RequestContext = { signal: new AbortController().signal, door: 'openai', directives: { route: strategy }, requestId: 'bench', receivedAt: now };
  const [planNs, planBest] = measure(() => router.plan(request, context).selection.first);
  results.push({ strategy, selectNsPerOp: round(selectNs), selectBestNsPerOp: round(selectBest), planNsPerOp: round(planNs), planBestNsPerOp: round(planBest) });
}

console.log(`route selection over ${CANDIDATES} candidates, CPU ns per selection, ${runs} runs x ${iterations} selections (node ${process.version})`);
console.log('strategy          select ns/op (median, best)   plan ns/op (median, best)');
for (const r of results) {
  console.log(`${r.strategy.padEnd(16)}  ${String(r.selectNsPerOp).padStart(12)} ${String(r.selectBestNsPerOp).padStart(8)}   ${String(r.planNsPerOp).padStart(16)} ${String(r.planBestNsPerOp).padStart(8)}`);
}
if (values.json) writeFileSync(values.json, JSON.stringify({ candidates: CANDIDATES, iterations, runs, node: process.version, results }, null, 2));
void router.close();
