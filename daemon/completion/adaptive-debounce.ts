/**
 * How long a completion waits before it goes upstream, adapted to the user and the model.
 *
 * A request sent while the user is still typing is wasted: the next keystroke cancels it, and
 * a local model has already spent its time reading the prompt. Waiting avoids that but delays
 * every ghost text. The trade depends on two measured figures:
 * - the typing interval (a moving average of the gaps between requests, pauses left out):
 *   waiting a little longer than it lets the next keystroke arrive first;
 * - the model's latency (a moving average per route): a wasted request costs that much model
 *   time, so waiting is worth at most a fraction of it. A model that answers in 5 ms is not
 *   worth waiting for at all.
 * The delay is the smaller of the two, within the editor's bounds. Answers the cache already
 * has never wait (the caller checks the cache first), and neither does an explicit invocation.
 */

export interface DebounceBounds {
  debounceMinMs: number;
  debounceMaxMs: number;
}

/** Gaps longer than this are pauses, not typing. */
const TYPING_GAP_MS = 1_000;
const TYPING_WEIGHT = 0.3;
const LATENCY_WEIGHT = 0.2;
/** Wait this much longer than the typical gap between keystrokes. */
const TYPING_MARGIN = 1.2;
/** Spend at most this share of a request's cost on waiting. */
const LATENCY_SHARE = 0.5;
const MAX_ROUTES = 64;

export class AdaptiveDebounce {
  private typingMs: number | undefined;
  private lastRequestAt: number | undefined;
  private readonly latencyMs = new Map<string, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A completion was asked for (every request counts, hit or miss: they are keystrokes). */
  noteRequest(): void {
    const now = this.now();
    if (this.lastRequestAt !== undefined) {
      const gap = now - this.lastRequestAt;
      if (gap > 0 && gap < TYPING_GAP_MS) this.typingMs = this.typingMs === undefined ? gap : this.typingMs + TYPING_WEIGHT * (gap - this.typingMs);
    }
    this.lastRequestAt = now;
  }

  /** The time an upstream call for `route` took (cache hits are not model time and are not counted). */
  noteLatency(route: string, ms: number): void {
    const previous = this.latencyMs.get(route);
    if (previous === undefined && this.latencyMs.size >= MAX_ROUTES) this.latencyMs.clear();
    this.latencyMs.set(route, previous === undefined ? ms : previous + LATENCY_WEIGHT * (ms - previous));
  }

  delayMs(route: string, bounds: DebounceBounds): number {
    const min = Math.max(0, bounds.debounceMinMs);
    const max = Math.max(min, bounds.debounceMaxMs);
    const latency = this.latencyMs.get(route);
    if (latency === undefined) return min;
    const typing = this.typingMs === undefined ? max : this.typingMs * TYPING_MARGIN;
    return Math.min(max, Math.max(min, Math.min(typing, latency * LATENCY_SHARE)));
  }

  get typingIntervalMs(): number | undefined {
    return this.typingMs;
  }
}
