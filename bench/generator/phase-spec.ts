/** What the orchestrator asks the generator process to run, and what comes back. Plain data (crosses IPC). */
import type { GeneratorHealth, GoodputSlo } from '../../shared/report/schema';
import type { ArrivalPlan, RateStage } from './arrival-schedule';
import type { RawPhaseResult } from './phase-recorder';
import type { WireApi } from './wire';

export interface ClosedLoad {
  mode: 'closed';
  concurrency: number;
  requests?: number;
  durationSec?: number;
  /** Ramped concurrency (k6 stages): virtual users move linearly to each stage's target. */
  stages?: RateStage[];
}

export interface OpenLoad {
  mode: 'open';
  plan: ArrivalPlan;
  /** In-flight cap: beyond it, arrivals wait for a slot and are sent late. */
  maxInFlight: number;
  /** An arrival that waited this long for a slot is dropped, never sent. */
  dropAfterMs: number;
}

export interface PhaseSpec {
  targetUrl: string;
  api: WireApi;
  models: string[];
  weights: number[];
  stream: boolean;
  maxTokens: number;
  headers: Record<string, string>;
  timeoutMs: number;
  seed: number;
  load: ClosedLoad | OpenLoad;
  /** Requests sent (closed loop, same concurrency) before measuring; excluded from every figure. */
  warmupRequests: number;
  lateThresholdMs: number;
  slo: GoodputSlo | null;
  progressIntervalMs: number;
}

export interface PhaseOutcome extends RawPhaseResult {
  generator: GeneratorHealth;
}

export interface PhaseProgress {
  completed: number;
  errors: number;
  elapsedSec: number;
  /** Completions per second over the last interval. */
  currentRate: number;
  p99Ms: number | null;
}
