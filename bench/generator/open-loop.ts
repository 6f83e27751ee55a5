/**
 * Open loop: requests leave at their intended times whatever the target does, so a slow
 * target cannot slow the arrivals down (no coordinated omission). Latency is measured
 * from the intended time. Beyond the in-flight cap, arrivals wait and go late; one that
 * waits longer than `dropAfterMs` is dropped.
 */
import type { LoopContext } from './loop-context';

/** Arrivals waiting for a slot beyond this are dropped at once, so a hopeless rate cannot exhaust memory. */
const MAX_WAITING = 100_000;

export interface OpenLoopOptions {
  nextArrival: () => number | null;
  maxInFlight: number;
  dropAfterMs: number;
  lateThresholdMs: number;
  onDropped(): void;
}

export interface OpenLoopStats {
  /** Sends late although a slot was free: the generator fell behind. */
  lagged: number;
  sent: number;
}

export function runOpenLoop(ctx: LoopContext, options: OpenLoopOptions): Promise<OpenLoopStats> {
  const start = ctx.now();
  const waiting: number[] = [];
  let waitingHead = 0;
  let inFlight = 0;
  let next = options.nextArrival();
  let timer: NodeJS.Timeout | undefined;
  const stats: OpenLoopStats = { lagged: 0, sent: 0 };

  return new Promise<OpenLoopStats>((resolve) => {
    const maybeDone = () => {
      if ((next === null || ctx.stopped()) && inFlight === 0) {
        if (timer) clearTimeout(timer);
        resolve(stats);
      }
    };
    const launch = (scheduledMs: number) => {
      inFlight++;
      stats.sent++;
      void ctx.send(scheduledMs).then(() => {
        inFlight--;
        drainWaiting();
        maybeDone();
      });
    };
    const drainWaiting = () => {
      while (waitingHead < waiting.length && inFlight < options.maxInFlight && !ctx.stopped()) {
        const scheduledMs = waiting[waitingHead++]!;
        if (ctx.now() - scheduledMs > options.dropAfterMs) {
          options.onDropped();
          continue;
        }
        launch(scheduledMs);
      }
      if (waitingHead > 4096 && waitingHead * 2 > waiting.length) {
        waiting.splice(0, waitingHead);
        waitingHead = 0;
      }
    };
    const pump = () => {
      timer = undefined;
      if (ctx.stopped()) {
        next = null;
        maybeDone();
        return;
      }
      const now = ctx.now();
      while (next !== null && start + next <= now) {
        const scheduledMs = start + next;
        if (inFlight < options.maxInFlight && waitingHead === waiting.length) {
          if (now - scheduledMs > options.lateThresholdMs) stats.lagged++;
          launch(scheduledMs);
        } else if (waiting.length - waitingHead >= MAX_WAITING) {
          options.onDropped();
        } else {
          waiting.push(scheduledMs);
        }
        next = options.nextArrival();
      }
      drainWaiting();
      if (next === null) {
        // Arrivals still waiting for a slot when the schedule ends are drained by completions.
        maybeDone();
        return;
      }
      timer = setTimeout(pump, Math.max(0, start + next - ctx.now()));
    };
    void ctx.whenStopped.then(() => {
      if (timer) clearTimeout(timer);
      pump();
    });
    pump();
  });
}
