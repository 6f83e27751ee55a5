/** Medians of a handful of benchmark runs. */

/** The middle value; the mean of the two middle values when the count is even; NaN when empty. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const upper = s[Math.floor(s.length / 2)]!;
  return s.length % 2 ? upper : (s[s.length / 2 - 1]! + upper) / 2;
}

/**
 * The value at index floor(n/2) of the sorted runs: the median when the count is odd, the
 * upper of the two middle values when it is even. A figure that was actually measured, never
 * an average of two runs; the quick in-process benchmarks report this.
 */
export function upperMedian(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
