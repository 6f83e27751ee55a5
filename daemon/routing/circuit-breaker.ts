/**
 * A circuit breaker per provider+model.
 *
 *   closed ──(N consecutive failures, or error rate ≥ R over ≥ M recent calls)──▶ open
 *   open ──(cooldown elapsed)──▶ half-open: exactly one trial request is let through
 *   half-open ──trial succeeds──▶ closed          half-open ──trial fails──▶ open (new cooldown)
 *
 * Only failures that say something about the upstream's health count (connection errors,
 * timeouts, 5xx); the caller's own 4xx and cancellations are neutral. The clock is passed in
 * (`performance.now()` in the daemon) so tests can drive it.
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** Error rate (0..1] over the recent window that opens the breaker; 1 or more disables it. */
  errorRateThreshold: number;
  /** Calls in the window before the error rate is trusted. */
  minimumRequests: number;
  /** Outcomes in the error-rate window. */
  windowSize: number;
  /** How long the breaker stays open before a trial, ms. */
  cooldownMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  failureThreshold: 5,
  errorRateThreshold: 0.5,
  minimumRequests: 20,
  windowSize: 50,
  cooldownMs: 30_000,
};

export class CircuitBreaker {
  private stateValue: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly outcomes: Uint8Array;
  private outcomeCount = 0;
  private outcomeNext = 0;
  private windowFailures = 0;
  /** Times the breaker has opened; for the providers view. */
  opens = 0;

  constructor(readonly options: BreakerOptions = DEFAULT_BREAKER_OPTIONS) {
    this.outcomes = new Uint8Array(Math.max(1, options.windowSize));
  }

  /** The state as of `now` (an open breaker whose cooldown has passed reads as half-open). */
  state(now: number): BreakerState {
    if (this.stateValue === 'open' && now - this.openedAt >= this.options.cooldownMs) return 'half_open';
    return this.stateValue;
  }

  /** When an open breaker lets its trial through (`performance.now()` time); meaningful while open. */
  reopensAt(): number {
    return this.openedAt + this.options.cooldownMs;
  }

  /** Whether a request may be sent now, without taking the half-open trial. The router's filter. */
  allows(now: number): boolean {
    if (this.stateValue === 'closed') return true;
    const state = this.state(now);
    return state === 'closed' || (state === 'half_open' && !this.trialInFlight);
  }

  /**
   * Takes permission to send one request. In half-open this hands out the single trial; the
   * caller must then report `onSuccess`, `onFailure` or `onNeutral`. Returns false when the
   * request must not be sent.
   */
  acquire(now: number): boolean {
    const state = this.state(now);
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.stateValue = 'half_open';
    this.trialInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.consecutiveFailures = 0;
    this.pushOutcome(0);
    if (this.stateValue !== 'closed') this.close();
  }

  onFailure(now: number): void {
    this.consecutiveFailures++;
    this.pushOutcome(1);
    if (this.stateValue === 'half_open') {
      this.open(now);
      return;
    }
    if (this.stateValue !== 'closed') return;
    const rateTripped =
      this.outcomeCount >= this.options.minimumRequests && this.windowFailures / this.outcomeCount >= this.options.errorRateThreshold;
    if (this.consecutiveFailures >= this.options.failureThreshold || rateTripped) this.open(now);
  }

  /** An attempt ended in a way that says nothing about health (cancelled, the caller's 4xx). Frees a half-open trial. */
  onNeutral(): void {
    this.trialInFlight = false;
  }

  private open(now: number): void {
    this.stateValue = 'open';
    this.openedAt = now;
    this.trialInFlight = false;
    this.opens++;
  }

  private close(): void {
    this.stateValue = 'closed';
    this.trialInFlight = false;
    this.consecutiveFailures = 0;
    this.outcomes.fill(0);
    this.outcomeCount = 0;
    this.outcomeNext = 0;
    this.windowFailures = 0;
  }

  private pushOutcome(failed: 0 | 1): void {
    const size = this.outcomes.length;
    if (this.outcomeCount === size) this.windowFailures -= this.outcomes[this.outcomeNext]!;
    else this.outcomeCount++;
    this.outcomes[this.outcomeNext] = failed;
    this.windowFailures += failed;
    this.outcomeNext = (this.outcomeNext + 1) % size;
  }
}
