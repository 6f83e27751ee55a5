/**
 * Selection strategies: each picks one candidate index from a route's list, among those the
 * router marked eligible (healthy, breaker not open, cloud allowed, deadline reachable, not
 * yet tried). They run on every request, so they allocate nothing and never sort: one pass
 * over the list. The fallback order is the same function applied again with the tried
 * candidates marked ineligible.
 */
import type { CandidateStats } from './candidate-stats';

export const STRATEGY_NAMES = ['priority', 'round-robin', 'weighted', 'lowest-latency', 'least-busy', 'cheapest', 'local-first'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** What a strategy may read about a candidate. */
export interface SelectableCandidate {
  readonly stats: CandidateStats;
  /** Share of traffic under `weighted` (> 0). */
  readonly weight: number;
  /** Requests it serves at once, for `least-busy` (> 0). */
  readonly capacity: number;
  readonly local: boolean;
  /** USD per million tokens (input + output); 0 for local models. */
  readonly pricePerMTok: number;
}

/** Per-route mutable state the stateful strategies keep between requests. */
export interface SelectionState {
  /** Next start position for round-robin (and the tie-break rotation of least-busy). */
  cursor: number;
  /** Smooth weighted round-robin's current weights, one per candidate. */
  readonly currentWeights: Float64Array;
}

export interface SelectionInput {
  /** Whether the request is streamed: which latency measure lowest-latency compares. */
  streamed: boolean;
  /** `performance.now()`. */
  now: number;
  /** A latency figure older than this is treated as unknown, so a recovered candidate gets tried again. */
  exploreAfterMs: number;
}

/** Returns the chosen index, or -1 when no candidate is eligible (`eligible[i] !== 0` means it may be chosen). */
export type Strategy = (candidates: readonly SelectableCandidate[], eligible: Uint8Array, state: SelectionState, input: SelectionInput) => number;

export function createSelectionState(candidateCount: number): SelectionState {
  return { cursor: 0, currentWeights: new Float64Array(candidateCount) };
}

/** The first eligible candidate in configured order. */
export const selectPriority: Strategy = (candidates, eligible) => {
  for (let i = 0; i < candidates.length; i++) if (eligible[i] !== 0) return i;
  return -1;
};

/** Each request starts one place further along the list and takes the first eligible candidate from there. */
export const selectRoundRobin: Strategy = (candidates, eligible, state) => {
  const n = candidates.length;
  if (n === 0) return -1;
  const start = state.cursor % n;
  state.cursor = start + 1;
  for (let k = 0; k < n; k++) {
    const i = start + k < n ? start + k : start + k - n;
    if (eligible[i] !== 0) return i;
  }
  return -1;
};

/**
 * Smooth weighted round-robin (as in nginx): deterministic, and over any run of requests each
 * eligible candidate gets its share of the weight, interleaved rather than in bursts.
 */
export const selectWeighted: Strategy = (candidates, eligible, state) => {
  const current = state.currentWeights;
  let total = 0;
  let best = -1;
  let bestWeight = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < candidates.length; i++) {
    if (eligible[i] === 0) continue;
    const weight = candidates[i]!.weight;
    const value = current[i]! + weight;
    current[i] = value;
    total += weight;
    if (value > bestWeight) {
      bestWeight = value;
      best = i;
    }
  }
  if (best >= 0) current[best] = current[best]! - total;
  return best;
};

/**
 * The lowest moving average of time to first token (end-to-end time for non-streamed
 * requests). A candidate with no figure, or only a stale one, counts as 0 so it is measured.
 */
export const selectLowestLatency: Strategy = (candidates, eligible, _state, input) => {
  let best = -1;
  let bestMs = Number.POSITIVE_INFINITY;
  const staleBefore = input.now - input.exploreAfterMs;
  for (let i = 0; i < candidates.length; i++) {
    if (eligible[i] === 0) continue;
    const stats = candidates[i]!.stats;
    let ms = stats.expectedFirstAnswerMs(input.streamed);
    if (Number.isNaN(ms) || stats.lastSampleAt < staleBefore) ms = 0;
    if (ms < bestMs) {
      bestMs = ms;
      best = i;
    }
  }
  return best;
};

/** The fewest in-flight requests relative to capacity; ties rotate so an idle route spreads its load. */
export const selectLeastBusy: Strategy = (candidates, eligible, state) => {
  const n = candidates.length;
  if (n === 0) return -1;
  const start = state.cursor % n;
  state.cursor = start + 1;
  let best = -1;
  let bestLoad = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const i = start + k < n ? start + k : start + k - n;
    if (eligible[i] === 0) continue;
    const candidate = candidates[i]!;
    const load = candidate.stats.inFlight / candidate.capacity;
    if (load < bestLoad) {
      bestLoad = load;
      best = i;
    }
  }
  return best;
};

/** The lowest price per token; local models cost 0. Ties go to the earlier candidate. */
export const selectCheapest: Strategy = (candidates, eligible) => {
  let best = -1;
  let bestPrice = Number.POSITIVE_INFINITY;
  for (let i = 0; i < candidates.length; i++) {
    if (eligible[i] === 0) continue;
    const price = candidates[i]!.pricePerMTok;
    if (price < bestPrice) {
      bestPrice = price;
      best = i;
    }
  }
  return best;
};

/**
 * The first eligible local candidate; a cloud one only when no local one is eligible. (Cloud
 * candidates of a route that does not allow cloud are never eligible: the router's filter.)
 */
export const selectLocalFirst: Strategy = (candidates, eligible) => {
  let firstCloud = -1;
  for (let i = 0; i < candidates.length; i++) {
    if (eligible[i] === 0) continue;
    if (candidates[i]!.local) return i;
    if (firstCloud < 0) firstCloud = i;
  }
  return firstCloud;
};

export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = {
  priority: selectPriority,
  'round-robin': selectRoundRobin,
  weighted: selectWeighted,
  'lowest-latency': selectLowestLatency,
  'least-busy': selectLeastBusy,
  cheapest: selectCheapest,
  'local-first': selectLocalFirst,
};
