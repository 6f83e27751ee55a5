/**
 * A route ready to select from: its candidates bound to their live statistics, breaker and
 * provider health, its strategy, and the per-route state the strategy keeps. Selection is one
 * pass of the strategy, which asks whether each candidate it looks at is usable; nothing is
 * allocated.
 */
import type { Candidate } from '../core/pipeline';
import type { HedgeConfig } from './routes-schema';
import type { CandidateStats } from './candidate-stats';
import type { CircuitBreaker } from './circuit-breaker';
import type { ProviderHealth } from './health-prober';
import type { RetryOptions } from './retry-policy';
import type { RouteTally } from './route-tally';
import { createSelectionState, STRATEGIES, type Eligibility, type SelectableCandidate, type SelectionInput, type SelectionState, type Strategy, type StrategyName } from './strategies';

export interface RoutingCandidate extends Candidate, SelectableCandidate {
  readonly stats: CandidateStats;
  readonly breaker: CircuitBreaker;
  /** The provider's health record, shared with (and updated in place by) the health prober. */
  readonly health: ProviderHealth;
}

export interface RouteSettings {
  allowCloud: boolean;
  /** Counts of what happened to the route's requests (shared by the route's restricted and re-planned forms). */
  tally: RouteTally;
  hedge?: HedgeConfig;
  deadlineMs?: number;
  retries: RetryOptions;
}

/** What selection needs to know about the request. */
export interface SelectionRequest extends SelectionInput {
  /** Time left before the request's deadline, ms. */
  remainingMs: number;
  /**
   * Why spent budgets rule candidates out, by index (undefined: not ruled out). When set,
   * local candidates are chosen before any cloud one.
   */
  excluded?: readonly (string | undefined)[];
  /** Cloud candidates are out whatever the route allows (RequestDirectives.localOnly). */
  localOnly?: boolean;
}

export class CompiledRoute {
  readonly strategy: Strategy;
  readonly state: SelectionState;
  // The request being selected for, read by `eligible`. Selection is synchronous, so one set
  // per route serves every request, and the eligibility callback allocates nothing.
  private request: SelectionRequest | undefined;
  private freshAfter = 0;
  private tried: Uint8Array | undefined;
  /** Set while a spent budget's first pass looks at local candidates only. */
  private localPass = false;
  private readonly eligible: Eligibility = (i) => (this.tried === undefined || this.tried[i] === 0) && this.usable(i, this.request!, this.freshAfter);

  constructor(
    /** Undefined for the implicit route of a model named directly. */
    readonly name: string | undefined,
    readonly strategyName: StrategyName,
    readonly candidates: readonly RoutingCandidate[],
    readonly settings: RouteSettings,
  ) {
    this.strategy = STRATEGIES[strategyName];
    this.state = createSelectionState(candidates);
  }

  /**
   * Whether candidate `i` may take the request now: cloud only when the route and the request
   * allow it, provider not down, not asked to back off by a 429, breaker letting requests
   * through, and expected to answer within the deadline (a figure older than `freshAfter` is
   * not trusted to rule a candidate out: it may have recovered), and not ruled out by a spent
   * budget.
   */
  private usable(i: number, request: SelectionRequest, freshAfter: number): boolean {
    const candidate = this.candidates[i]!;
    const stats = candidate.stats;
    const now = request.now;
    return (
      (candidate.local || (this.settings.allowCloud && !this.localPass && request.localOnly !== true)) &&
      (request.excluded === undefined || request.excluded[i] === undefined) &&
      candidate.health.status !== 'down' &&
      stats.rateLimitedUntil <= now &&
      candidate.breaker.allows(now) &&
      !(stats.lastSampleAt >= freshAfter && stats.expectedFirstAnswerMs(request.streamed) > request.remainingMs)
    );
  }

  /** The strategy's choice for a new request, or -1 when no candidate may take it. */
  selectFirst(request: SelectionRequest): number {
    return this.select(request, undefined, this.state);
  }

  /**
   * The next candidate after failures, with `tried` excluded, judged on health as it is now.
   * Round-robin and weighted continue from a copy of their state, so a fallback does not
   * shift the rotation of other requests.
   */
  selectNext(request: SelectionRequest, tried: Uint8Array, lastIndex: number): number {
    const state =
      this.strategyName === 'round-robin' ? { cursor: lastIndex + 1, weightedOrder: this.state.weightedOrder }
      : this.strategyName === 'weighted' ? { cursor: this.state.cursor, weightedOrder: this.state.weightedOrder }
      : this.state;
    return this.select(request, tried, state);
  }

  private select(request: SelectionRequest, tried: Uint8Array | undefined, state: SelectionState): number {
    this.request = request;
    this.freshAfter = request.now - request.exploreAfterMs;
    this.tried = tried;
    if (request.excluded !== undefined) {
      // A spent budget sends the request to local models first; cloud ones stay as a fallback.
      this.localPass = true;
      const local = this.strategy(this.candidates, this.eligible, state, request);
      this.localPass = false;
      if (local >= 0) return local;
    }
    return this.strategy(this.candidates, this.eligible, state, request);
  }

  /** Why candidate `index` is not eligible now (for the 503 listing and debug logs), or undefined if it is. */
  whySkipped(index: number, request: SelectionRequest): string | undefined {
    const candidate = this.candidates[index]!;
    const now = request.now;
    const excluded = request.excluded?.[index];
    if (excluded !== undefined) return excluded;
    if (!this.settings.allowCloud && !candidate.local) return 'cloud provider; the route does not allow cloud';
    if (request.localOnly === true && !candidate.local) return 'cloud provider; this request may use local models only';
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
