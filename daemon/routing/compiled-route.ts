/**
 * A route ready to select from: its candidates bound to their live statistics, breaker and
 * provider health, its strategy, and the per-route state the strategy keeps. Selection is one
 * pass to mark which candidates may be used and one pass of the strategy, with no allocation.
 */
import type { Candidate } from '../core/pipeline';
import type { HedgeConfig } from '../config/routes-schema';
import type { CandidateStats } from './candidate-stats';
import type { CircuitBreaker } from './circuit-breaker';
import type { ProviderHealth } from './health-prober';
import type { RetryOptions } from './retry-policy';
import { createSelectionState, STRATEGIES, type SelectableCandidate, type SelectionInput, type SelectionState, type Strategy, type StrategyName } from './strategies';

export interface RoutingCandidate extends Candidate, SelectableCandidate {
  readonly stats: CandidateStats;
  readonly breaker: CircuitBreaker;
  /** The provider's health record, shared with (and updated in place by) the health prober. */
  readonly health: ProviderHealth;
}

export interface RouteSettings {
  allowCloud: boolean;
  hedge?: HedgeConfig;
  deadlineMs?: number;
  retries: RetryOptions;
}

/** What selection needs to know about the request. */
export interface SelectionRequest extends SelectionInput {
  /** Time left before the request's deadline, ms. */
  remainingMs: number;
}

export class CompiledRoute {
  readonly strategy: Strategy;
  readonly state: SelectionState;
  /** Reused by `selectFirst`; selection is synchronous, so one buffer per route is enough. */
  private readonly scratch: Uint8Array;

  constructor(
    /** Undefined for the implicit route of a model named directly. */
    readonly name: string | undefined,
    readonly strategyName: StrategyName,
    readonly candidates: readonly RoutingCandidate[],
    readonly settings: RouteSettings,
  ) {
    this.strategy = STRATEGIES[strategyName];
    this.state = createSelectionState(candidates.length);
    this.scratch = new Uint8Array(candidates.length);
  }

  /**
   * Marks in `eligible` the candidates that may take the request now: not tried yet, cloud
   * only when allowed, provider not down, breaker letting requests through, not asked to back
   * off by a 429, and expected to answer within the deadline. Returns how many are eligible.
   */
  markEligible(eligible: Uint8Array, request: SelectionRequest, tried?: Uint8Array): number {
    const candidates = this.candidates;
    const allowCloud = this.settings.allowCloud;
    const { now, streamed, remainingMs } = request;
    // A figure older than this is not trusted to rule a candidate out (it may have recovered).
    const freshAfter = now - request.exploreAfterMs;
    let count = 0;
    for (let i = 0; i < candidates.length; i++) {
      const candidate = candidates[i]!;
      const stats = candidate.stats;
      let ok = 0;
      if (
        (tried === undefined || tried[i] === 0) &&
        (allowCloud || candidate.local) &&
        candidate.health.status !== 'down' &&
        stats.rateLimitedUntil <= now &&
        candidate.breaker.allows(now) &&
        !(stats.lastSampleAt >= freshAfter && stats.expectedFirstAnswerMs(streamed) > remainingMs)
      ) {
        ok = 1;
        count++;
      }
      eligible[i] = ok;
    }
    return count;
  }

  /** The strategy's choice for a new request, or -1 when no candidate may take it. */
  selectFirst(request: SelectionRequest): number {
    if (this.markEligible(this.scratch, request) === 0) return -1;
    return this.strategy(this.candidates, this.scratch, this.state, request);
  }

  /**
   * The next candidate after failures, with `tried` excluded, judged on health as it is now.
   * Round-robin and weighted continue from a copy of their state, so a fallback does not
   * shift the rotation of other requests.
   */
  selectNext(request: SelectionRequest, tried: Uint8Array, lastIndex: number, eligible: Uint8Array): number {
    if (this.markEligible(eligible, request, tried) === 0) return -1;
    if (this.strategyName === 'round-robin' || this.strategyName === 'weighted') {
      const copy: SelectionState = { cursor: lastIndex + 1, currentWeights: this.state.currentWeights.slice() };
      return this.strategy(this.candidates, eligible, copy, request);
    }
    return this.strategy(this.candidates, eligible, this.state, request);
  }

  /** Why candidate `index` is not eligible now (for the 503 listing and debug logs), or undefined if it is. */
  whySkipped(index: number, request: SelectionRequest): string | undefined {
    const candidate = this.candidates[index]!;
    const now = request.now;
    if (!this.settings.allowCloud && !candidate.local) return 'cloud provider; the route does not allow cloud';
    if (candidate.health.status === 'down') return `provider down (${candidate.health.lastError ?? 'health probe failed'})`;
    if (candidate.stats.rateLimitedUntil > now) return `rate limited for ${Math.ceil(candidate.stats.rateLimitedUntil - now)} ms more (Retry-After)`;
    if (!candidate.breaker.allows(now)) return `circuit breaker ${candidate.breaker.state(now)}`;
    const expected = candidate.stats.expectedFirstAnswerMs(request.streamed);
    if (expected > request.remainingMs && candidate.stats.lastSampleAt >= now - request.exploreAfterMs) {
      return `expected first token in ${Math.round(expected)} ms, after the deadline (${Math.max(0, Math.round(request.remainingMs))} ms left)`;
    }
    return undefined;
  }
}
