/** Key figures of repeated runs: their medians and their spread, which is the measured noise. */
import { keyFigures } from '../../shared/report/key-figures';
import type { BenchReport, RepeatsResult } from '../../shared/report/schema';
import { median } from '../metrics/median';

export function summarizeRepeats(reports: readonly BenchReport[]): RepeatsResult {
  const runs = reports.map((r) => Object.fromEntries(Object.entries(keyFigures(r)).map(([k, f]) => [k, f.value])));
  const names = Object.keys(runs[0] ?? {}).filter((k) => runs.every((r) => k in r));
  const medians: Record<string, number> = {};
  const noisePct: Record<string, number> = {};
  for (const k of names) {
    const values = runs.map((r) => r[k]!).sort((a, b) => a - b);
    const mid = median(values);
    medians[k] = mid;
    noisePct[k] = mid !== 0 ? ((values.at(-1)! - values[0]!) / Math.abs(mid)) * 100 : 0;
  }
  return { count: reports.length, runs, median: medians, noisePct };
}
