/**
 * Live statistics of one provider+model, kept from real traffic: the moving averages the
 * lowest-latency strategy and the deadline check read, the recent p95 the hedge waits for,
 * the in-flight count least-busy reads, and the recent error rate the providers view shows.
 *
 * Latency is measured the way a user feels it and never divided by token counts: for a
 * streamed reply, the time to the first token; for a non-streamed one, the end-to-end time
 * (its "first token" is the whole answer). The two are averaged separately, because a route
 * serving both would otherwise mix a 50 ms TTFT with a 3 s full reply.
 */

/** Weight of the newest sample in the moving averages. 0.3 follows a change within ~5 samples. */
export const DEFAULT_EWMA_ALPHA = 0.3;
/** Samples kept for the p95 estimate. */
const RING_SIZE = 32;
/** Outcomes kept for the error rate. */
const OUTCOME_WINDOW = 50;

export class CandidateStats {
  readonly key: string;
  private readonly alpha: number;

  /** Moving average of time to first token of streamed replies, ms; NaN until measured. */
  ttftEwmaMs = Number.NaN;
  /** Moving average of the end-to-end time of non-streamed replies, ms; NaN until measured. */
  latencyEwmaMs = Number.NaN;
  /** `performance.now()` of the last latency sample of either kind; -Infinity until measured. */
  lastSampleAt = Number.NEGATIVE_INFINITY;

  /** `performance.now()` until which the upstream asked us (429 `Retry-After`) to stay away. */
  rateLimitedUntil = 0;

  /** Requests sent to this candidate and not yet finished. */
  inFlight = 0;
  requests = 0;
  failures = 0;

  /** First-answer times (TTFT or end-to-end) of recent successes, for the p95 estimate. */
  private readonly ring = new Float64Array(RING_SIZE);
  private ringCount = 0;
  private ringNext = 0;
  private readonly scratch = new Float64Array(RING_SIZE);

  /** 1 = failure, 0 = success, for the last OUTCOME_WINDOW outcomes. */
  private readonly outcomes = new Uint8Array(OUTCOME_WINDOW);
  private outcomeCount = 0;
  private outcomeNext = 0;
  private windowFailures = 0;

  constructor(key: string, alpha = DEFAULT_EWMA_ALPHA) {
    this.key = key;
    this.alpha = alpha;
  }

  /** Records the time to the first answer of a successful attempt (`streamed` says which measure it is). */
  recordFirstAnswer(ms: number, streamed: boolean, now: number): void {
    if (!(ms >= 0)) return;
    if (streamed) this.ttftEwmaMs = Number.isNaN(this.ttftEwmaMs) ? ms : this.ttftEwmaMs + this.alpha * (ms - this.ttftEwmaMs);
    else this.latencyEwmaMs = Number.isNaN(this.latencyEwmaMs) ? ms : this.latencyEwmaMs + this.alpha * (ms - this.latencyEwmaMs);
    this.lastSampleAt = now;
    this.ring[this.ringNext] = ms;
    this.ringNext = (this.ringNext + 1) % RING_SIZE;
    if (this.ringCount < RING_SIZE) this.ringCount++;
  }

  /**
   * Records that an attempt had still not answered after `ms` when it was abandoned (it lost a
   * hedge): a lower bound of its time, so the moving average learns the candidate is slow. It
   * stays out of the p95 ring, whose samples would otherwise ratchet the hedge delay upwards
   * (each loser is abandoned just after the current p95).
   */
  recordNoAnswerAfter(ms: number, streamed: boolean, now: number): void {
    if (!(ms >= 0)) return;
    const current = streamed ? this.ttftEwmaMs : this.latencyEwmaMs;
    if (!Number.isNaN(current) && current >= ms) return;
    const next = Number.isNaN(current) ? ms : current + this.alpha * (ms - current);
    if (streamed) this.ttftEwmaMs = next;
    else this.latencyEwmaMs = next;
    this.lastSampleAt = now;
  }

  /** Records how an attempt ended: `true` for a failure that counts against health. */
  recordOutcome(failed: boolean): void {
    this.requests++;
    if (failed) this.failures++;
    if (this.outcomeCount === OUTCOME_WINDOW) this.windowFailures -= this.outcomes[this.outcomeNext]!;
    else this.outcomeCount++;
    this.outcomes[this.outcomeNext] = failed ? 1 : 0;
    if (failed) this.windowFailures++;
    this.outcomeNext = (this.outcomeNext + 1) % OUTCOME_WINDOW;
  }

  /**
   * The expected time to the first answer for a request of this shape, ms, or NaN when there
   * is no sample yet. A streamed request with only non-streamed samples (or the reverse) uses
   * the other measure, which over-estimates TTFT and so never hides a slow candidate.
   */
  expectedFirstAnswerMs(streamed: boolean): number {
    const primary = streamed ? this.ttftEwmaMs : this.latencyEwmaMs;
    return Number.isNaN(primary) ? (streamed ? this.latencyEwmaMs : this.ttftEwmaMs) : primary;
  }

  /** Failures among the last outcomes (0..1); 0 with no traffic. */
  errorRate(): number {
    return this.outcomeCount === 0 ? 0 : this.windowFailures / this.outcomeCount;
  }

  /** Outcomes in the error-rate window. */
  windowSize(): number {
    return this.outcomeCount;
  }

  /** Number of first-answer samples available for the p95 estimate. */
  sampleCount(): number {
    return this.ringCount;
  }

  /** The 95th percentile of recent first-answer times (nearest rank), or NaN with no sample. */
  p95FirstAnswerMs(): number {
    const n = this.ringCount;
    if (n === 0) return Number.NaN;
    const values = this.scratch.subarray(0, n);
    values.set(this.ring.subarray(0, n));
    values.sort();
    return values[Math.min(n - 1, Math.ceil(0.95 * n) - 1)]!;
  }
}

/** Statistics for every provider+model, created on first use; owned by the router. */
export class CandidateStatsRegistry {
  private readonly byKey = new Map<string, CandidateStats>();

  constructor(private readonly alpha = DEFAULT_EWMA_ALPHA) {}

  get(key: string): CandidateStats {
    let stats = this.byKey.get(key);
    if (stats === undefined) {
      stats = new CandidateStats(key, this.alpha);
      this.byKey.set(key, stats);
    }
    return stats;
  }

  peek(key: string): CandidateStats | undefined {
    return this.byKey.get(key);
  }

  entries(): IterableIterator<CandidateStats> {
    return this.byKey.values();
  }
}
