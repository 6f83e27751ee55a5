/**
 * Selection strategies: each picks one candidate index from a route's list, among those the
 * router says are eligible (healthy, breaker not open, cloud allowed, deadline reachable, not
 * yet tried). They run on every request, so they allocate nothing and never sort: one pass
 * over the list, asking about eligibility as they go. The fallback order is the same function
 * applied again with the tried candidates ineligible.
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
  /** Next position: in the candidate list (round-robin, least-busy's tie-break) or in `weightedOrder`. */
  cursor: number;
  /**
   * The order `weighted` serves candidates in, one period long: each candidate appears in
   * proportion to its weight, interleaved (smooth weighted round-robin, as in nginx), computed
   * once per route so a selection is one step along it.
   */
  readonly weightedOrder: Uint16Array;
}

/** Longest weighted period kept; larger weight sums are scaled down (each candidate keeps at least one slot). */
const MAX_PERIOD = 10_000;

export function createSelectionState(candidates: readonly Pick<SelectableCandidate, 'weight'>[]): SelectionState {
  return { cursor: 0, weightedOrder: weightedOrder(candidates.map((c) => c.weight)) };
}

/** One period of smooth weighted round-robin over integer slot counts derived from the weights. */
export function weightedOrder(weights: readonly number[]): Uint16Array {
  if (weights.length === 0) return new Uint16Array(0);
  const min = Math.min(...weights);
  let slots = weights.map((w) => w / min);
  const integral = slots.every((x) => Math.abs(x - Math.round(x)) < 1e-9);
  // Fractional ratios are kept to three digits; very large sums are scaled down.
  if (!integral) slots = slots.map((x) => x * 1000);
  const sum = slots.reduce((a, b) => a + b, 0);
  const scale = sum > MAX_PERIOD ? MAX_PERIOD / sum : 1;
  const counts = slots.map((x) => Math.max(1, Math.round(x * scale)));
  const divisor = counts.reduce(gcd);
  const reduced = counts.map((c) => c / divisor);
  const period = reduced.reduce((a, b) => a + b, 0);
  const order = new Uint16Array(period);
  const current = new Float64Array(reduced.length);
  for (let k = 0; k < period; k++) {
    let best = 0;
    for (let i = 0; i < reduced.length; i++) {
      current[i] = current[i]! + reduced[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best] = current[best]! - period;
    order[k] = best;
  }
  return order;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export interface SelectionInput {
  /** Whether the request is streamed: which latency measure lowest-latency compares. */
  streamed: boolean;
  /** `performance.now()`. */
  now: number;
  /** A latency figure older than this is treated as unknown, so a recovered candidate gets tried again. */
  exploreAfterMs: number;
}

/** Whether candidate `index` may be chosen for this request. */
export type Eligibility = (index: number) => boolean;

/** Returns the chosen index, or -1 when no candidate is eligible. */
export type Strategy = (candidates: readonly SelectableCandidate[], eligible: Eligibility, state: SelectionState, input: SelectionInput) => number;

/** The first eligible candidate in configured order. */
export const selectPriority: Strategy = (candidates, eligible) => {
  for (let i = 0; i < candidates.length; i++) if (eligible(i)) return i;
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
    if (eligible(i)) return i;
  }
  return -1;
};

/**
 * Weighted: the next step along the route's smooth weighted order. Over any run of requests
 * each candidate gets its share of the weight, interleaved rather than in bursts. A step that
 * lands on an ineligible candidate moves on along the order, so the others keep their
 * proportions among themselves.
 */
export const selectWeighted: Strategy = (candidates, eligible, state) => {
  const order = state.weightedOrder;
  const period = order.length;
  if (period === 0 || candidates.length === 0) return -1;
  const start = state.cursor % period;
  for (let k = 0; k < period; k++) {
    const position = start + k < period ? start + k : start + k - period;
    const i = order[position]!;
    if (eligible(i)) {
      state.cursor = position + 1;
      return i;
    }
  }
  return -1;
};

/**
 * The eligible candidate with the lowest score, looking from `start` round the list; a tie
 * goes to the one looked at first, and a NaN score is never chosen.
 */
function lowestScoring(
  candidates: readonly SelectableCandidate[],
  eligible: Eligibility,
  start: number,
  score: (candidate: SelectableCandidate, input: SelectionInput) => number,
  input: SelectionInput,
): number {
  const n = candidates.length;
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const i = start + k < n ? start + k : start + k - n;
    if (!eligible(i)) continue;
    const value = score(candidates[i]!, input);
    if (value < bestScore) {
      bestScore = value;
      best = i;
    }
  }
  return best;
}

/** Lowest-latency's measure: no figure, or a stale one, counts as 0. */
const expectedLatency = (candidate: SelectableCandidate, input: SelectionInput): number => {
  const stats = candidate.stats;
  const ms = stats.expectedFirstAnswerMs(input.streamed);
  return Number.isNaN(ms) || stats.lastSampleAt < input.now - input.exploreAfterMs ? 0 : ms;
};
const load = (candidate: SelectableCandidate): number => candidate.stats.inFlight / candidate.capacity;
const price = (candidate: SelectableCandidate): number => candidate.pricePerMTok;

/**
 * The lowest moving average of time to first token (end-to-end time for non-streamed
 * requests). A candidate with no figure, or only a stale one, counts as 0 so it is measured.
 */
export const selectLowestLatency: Strategy = (candidates, eligible, _state, input) => lowestScoring(candidates, eligible, 0, expectedLatency, input);

/** The fewest in-flight requests relative to capacity; ties rotate so an idle route spreads its load. */
export const selectLeastBusy: Strategy = (candidates, eligible, state, input) => {
  const n = candidates.length;
  if (n === 0) return -1;
  const start = state.cursor % n;
  state.cursor = start + 1;
  return lowestScoring(candidates, eligible, start, load, input);
};

/** The lowest price per token; local models cost 0. Ties go to the earlier candidate. */
export const selectCheapest: Strategy = (candidates, eligible, _state, input) => lowestScoring(candidates, eligible, 0, price, input);

/**
 * The first eligible local candidate; a cloud one only when no local one is eligible. (Cloud
 * candidates of a route that does not allow cloud are never eligible: the router's filter.)
 */
export const selectLocalFirst: Strategy = (candidates, eligible) => {
  let firstCloud = -1;
  for (let i = 0; i < candidates.length; i++) {
    if (!eligible(i)) continue;
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
