/** Seeded pseudo-random numbers, so arrivals and model choices repeat run to run: the simulator's mulberry32. */
import { createRandom, type Random } from '../sim/random';

export type { Random };

export function seededRandom(seed: number): Random {
  // Seed 0 would start mulberry32 from an all-zero state; use a fixed odd constant instead.
  return createRandom(seed >>> 0 || 0x9e3779b9);
}

/** An exponentially distributed value with mean 1 (gaps of a unit-rate Poisson process). */
export function unitExponential(random: Random): number {
  return -Math.log(1 - random());
}

/** Picks an index by weight; weights need not sum to 1. */
export function weightedPicker(weights: readonly number[], random: Random): () => number {
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w / total;
    cumulative.push(sum);
  }
  return () => {
    const r = random();
    for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]!) return i;
    return cumulative.length - 1;
  };
}
