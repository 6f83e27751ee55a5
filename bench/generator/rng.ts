/** Seeded pseudo-random numbers (mulberry32), so arrivals and model choices repeat run to run. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
