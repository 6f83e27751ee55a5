/** Builds the generator's phase specs from the command-line options. */
import type { LoadSpec } from '../../shared/report/schema';
import type { BenchOptions } from '../options/options';
import { fixedRateOf } from '../generator/arrival-schedule';
import type { ClosedLoad, OpenLoad, PhaseSpec } from '../generator/phase-spec';
import type { Endpoint } from '../targets/bench-stack';

export const PROGRESS_INTERVAL_MS = 500;

export interface SpecOverrides {
  models?: string[];
  weights?: number[];
  warmupRequests?: number;
}

export function buildSpec(o: BenchOptions, endpoint: Endpoint, load: ClosedLoad | OpenLoad, overrides: SpecOverrides = {}): PhaseSpec {
  return {
    targetUrl: endpoint.url,
    api: o.api,
    models: overrides.models ?? o.models,
    weights: overrides.weights ?? o.weights,
    stream: o.stream,
    maxTokens: o.maxTokens,
    headers: endpoint.headers,
    timeoutMs: o.timeoutMs,
    seed: o.seed,
    load,
    warmupRequests: overrides.warmupRequests ?? defaultWarmup(o, load),
    lateThresholdMs: o.lateThresholdMs,
    slo: o.slo,
    progressIntervalMs: PROGRESS_INTERVAL_MS,
  };
}

/** A few rounds of the pool's connections, at most 2% of the run and 2,000 requests. */
function defaultWarmup(o: BenchOptions, load: ClosedLoad | OpenLoad): number {
  if (o.warmup !== null) return o.warmup;
  if (load.mode === 'open') return Math.min(20, load.maxInFlight * 2);
  const total = load.requests ?? load.concurrency * 50;
  return Math.min(2000, Math.max(load.concurrency * 2, Math.round(total * 0.02)), total);
}

/** How the report describes a load. */
export function describeLoad(load: ClosedLoad | OpenLoad): LoadSpec {
  if (load.mode === 'closed') {
    return {
      mode: 'closed',
      concurrency: load.concurrency,
      ...(load.requests !== undefined && { requests: load.requests }),
      ...(load.durationSec !== undefined && { durationSec: load.durationSec }),
      ...(load.stages && { stages: load.stages }),
    };
  }
  const rate = fixedRateOf(load.plan);
  return {
    mode: 'open',
    ...(rate !== null ? { rate } : { stages: load.plan.stages }),
    arrivals: load.plan.arrivals,
    maxInFlight: load.maxInFlight,
    durationSec: load.plan.stages.reduce((s, st) => s + st.durationSec, 0),
    ...(load.plan.maxArrivals !== undefined && { requests: load.plan.maxArrivals }),
  };
}
