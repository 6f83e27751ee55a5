/**
 * Budget windows: a calendar day or month (UTC), or a rolling number of hours. Spending is
 * recorded against a slot start time: the period's start for a calendar window, the start of
 * one of 60 buckets for a rolling one. Everything at or after `windowStart` counts.
 */

export type BudgetWindow = { kind: 'day' } | { kind: 'month' } | { kind: 'rolling'; hours: number };

/** Buckets per rolling window: spending leaves the window in sixtieths. */
export const ROLLING_BUCKETS = 60;

export interface WindowPosition {
  /** Slots with a start at or after this are in the window. */
  windowStart: number;
  /** The slot a spend made now is recorded in. */
  slotStart: number;
  /** For a calendar window: when it resets. For a rolling one: computed from the oldest spend (see `rollingReset`). */
  periodEnd: number;
  /** How long a slot's figures must be kept (for Redis key expiry). */
  retentionMs: number;
}

export function bucketMs(window: BudgetWindow): number {
  return window.kind === 'rolling' ? Math.max(1000, Math.floor((window.hours * 3_600_000) / ROLLING_BUCKETS)) : 0;
}

export function windowPosition(window: BudgetWindow, now: number): WindowPosition {
  const date = new Date(now);
  if (window.kind === 'day') {
    const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    return { windowStart: start, slotStart: start, periodEnd: start + 86_400_000, retentionMs: 2 * 86_400_000 };
  }
  if (window.kind === 'month') {
    const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    const end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    return { windowStart: start, slotStart: start, periodEnd: end, retentionMs: 62 * 86_400_000 };
  }
  const size = bucketMs(window);
  const slotStart = Math.floor(now / size) * size;
  const windowStart = slotStart - (ROLLING_BUCKETS - 1) * size;
  return { windowStart, slotStart, periodEnd: slotStart + size, retentionMs: (ROLLING_BUCKETS + 1) * size };
}

/** The slot a spend recorded at `timestamp` belongs to. */
export function slotOf(window: BudgetWindow, timestamp: number): number {
  return windowPosition(window, timestamp).slotStart;
}

/** When a rolling window next frees spending: the oldest slot with spending leaves the window. */
export function rollingReset(window: BudgetWindow, oldestSlotWithSpend: number | undefined, now: number): number {
  const size = bucketMs(window);
  if (oldestSlotWithSpend === undefined) return now;
  return oldestSlotWithSpend + ROLLING_BUCKETS * size;
}

export function describeWindow(window: BudgetWindow): string {
  return window.kind === 'rolling' ? `rolling ${window.hours}h` : window.kind;
}
