/**
 * Intended send times for an open-loop run. The arrival rate is piecewise linear through
 * stages (a fixed rate is one flat stage); arrival i is where the integrated rate reaches
 * i (uniform) or a running sum of unit exponentials (Poisson), so the schedule is exact
 * for ramps too and repeats for a given seed.
 */
import { type Random, unitExponential } from './rng';

export interface RateStage {
  durationSec: number;
  /** Rate (requests/s) at the end of the stage; it moves linearly from the previous stage's. */
  target: number;
}

export interface ArrivalPlan {
  startRate: number;
  stages: RateStage[];
  arrivals: 'uniform' | 'poisson';
  /** Stop after this many arrivals even if the stages are not over. */
  maxArrivals?: number;
}

/** The rate of a plan that is one flat stage at its start rate (a fixed-rate run); null for a ramp. */
export function fixedRateOf(plan: ArrivalPlan): number | null {
  return plan.stages.length === 1 && plan.stages[0]!.target === plan.startRate ? plan.startRate : null;
}

/** Returns the next intended send time in ms since the phase start, or null when the plan ends. */
export function arrivalSchedule(plan: ArrivalPlan, random: Random): () => number | null {
  // Each stage: rate r(t) = a + b t for t in [0, d); cumulative count Λ(t) = a t + b t²/2.
  const segments: { startSec: number; durationSec: number; a: number; b: number; countBefore: number; count: number }[] = [];
  let startSec = 0;
  let countBefore = 0;
  let previous = plan.startRate;
  for (const stage of plan.stages) {
    const a = previous;
    const b = stage.durationSec > 0 ? (stage.target - previous) / stage.durationSec : 0;
    const count = a * stage.durationSec + (b * stage.durationSec * stage.durationSec) / 2;
    segments.push({ startSec, durationSec: stage.durationSec, a, b, countBefore, count });
    startSec += stage.durationSec;
    countBefore += count;
    previous = stage.target;
  }
  let level = 0;
  let emitted = 0;
  let segmentIndex = 0;
  return () => {
    if (plan.maxArrivals !== undefined && emitted >= plan.maxArrivals) return null;
    level += plan.arrivals === 'poisson' ? unitExponential(random) : emitted === 0 ? 0 : 1;
    while (segmentIndex < segments.length) {
      const s = segments[segmentIndex]!;
      const within = level - s.countBefore;
      if (within < s.count || segmentIndex === segments.length - 1) {
        if (within >= s.count) return null;
        const t = solveWithin(s.a, s.b, within);
        emitted++;
        return (s.startSec + Math.min(t, s.durationSec)) * 1000;
      }
      segmentIndex++;
    }
    return null;
  };
}

/** Smallest t >= 0 with a t + b t²/2 = n. */
function solveWithin(a: number, b: number, n: number): number {
  if (n <= 0) return 0;
  if (Math.abs(b) < 1e-12) return a > 0 ? n / a : Infinity;
  const disc = a * a + 2 * b * n;
  if (disc < 0) return Infinity;
  return (-a + Math.sqrt(disc)) / b;
}
