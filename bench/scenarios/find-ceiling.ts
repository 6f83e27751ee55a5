/**
 * The throughput ceiling of a concurrency sweep: the last level before adding
 * concurrency stops buying throughput (less than a quarter of the proportional gain)
 * while the tail latency climbs (p99 up by a fifth or more), and no higher level later
 * beats it by a quarter (a noisy level must not pass for the ceiling).
 */
import type { SweepResult } from '../../shared/report/schema';

const MIN_EFFICIENCY = 0.25;
const MIN_TAIL_GROWTH = 1.2;
const LATER_GAIN_THAT_REFUTES = 1.25;

export function findCeiling(points: SweepResult['points']): SweepResult['ceiling'] {
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (a.requestsPerSecond <= 0 || b.concurrency <= a.concurrency) continue;
    const growth = b.requestsPerSecond / a.requestsPerSecond - 1;
    const efficiency = growth / (b.concurrency / a.concurrency - 1);
    const tail = a.p99Ms && b.p99Ms ? b.p99Ms / a.p99Ms : 1;
    const laterBest = Math.max(...points.slice(i + 1).map((p) => p.requestsPerSecond));
    if (efficiency < MIN_EFFICIENCY && tail >= MIN_TAIL_GROWTH && laterBest <= a.requestsPerSecond * LATER_GAIN_THAT_REFUTES) {
      return {
        concurrency: a.concurrency,
        requestsPerSecond: a.requestsPerSecond,
        p99Ms: a.p99Ms,
        reason: `from ${a.concurrency} to ${b.concurrency} concurrent, throughput changed ${(growth * 100).toFixed(0)}% while p99 rose ${tail.toFixed(1)}×`,
      };
    }
  }
  return null;
}
