/**
 * Compares a run with a baseline, figure by figure. A change is a regression (or an
 * improvement) only when it is larger than the run-to-run noise measured by repeated
 * runs of either side (`--repeat N`) and the two sides' runs do not overlap (every run
 * of one is worse than every run of the other); single runs give "noise-unknown",
 * never a flag.
 */
import { keyFigures } from './key-figures';
import type { BaselineDiff, BenchReport } from './schema';

/** Figures so small that percentages mean nothing (an error rate of 0 against 0.01%). */
const ABSOLUTE_FLOOR: Record<string, number> = { '%': 0.1, ms: 0.05 };

export function diffReports(baseline: BenchReport, current: BenchReport, baselineName: string, currentName: string): BaselineDiff {
  const before = keyFigures(baseline);
  const after = keyFigures(current);
  const rows: BaselineDiff['rows'] = [];
  for (const [metric, b] of Object.entries(before)) {
    const a = after[metric];
    if (!a) continue;
    const base = baseline.repeats?.median[metric] ?? b.value;
    const now = current.repeats?.median[metric] ?? a.value;
    const changePct = base !== 0 ? ((now - base) / Math.abs(base)) * 100 : now === 0 ? 0 : 100;
    const noises = [baseline.repeats?.noisePct[metric], current.repeats?.noisePct[metric]].filter((n): n is number => n !== undefined);
    const noisePct = noises.length ? Math.max(...noises) : null;
    const tiny = Math.abs(now - base) <= (ABSOLUTE_FLOOR[b.unit] ?? 0);
    let verdict: BaselineDiff['rows'][number]['verdict'];
    if (noisePct === null) verdict = 'noise-unknown';
    else if (tiny || Math.abs(changePct) <= noisePct || rangesOverlap(range(baseline, metric, b.value), range(current, metric, a.value))) verdict = 'within-noise';
    else verdict = (changePct > 0) === (b.better === 'higher') ? 'improvement' : 'regression';
    rows.push({ metric, unit: b.unit, better: b.better, baseline: base, current: now, changePct, noisePct, verdict });
  }
  return baselineDiffOf(baselineName, currentName, rows);
}

/** A diff from its compared rows, with the regressions and improvements counted. */
export function baselineDiffOf(baselineName: string, currentName: string, rows: BaselineDiff['rows']): BaselineDiff {
  return {
    baseline: baselineName,
    current: currentName,
    rows,
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    improvements: rows.filter((r) => r.verdict === 'improvement').length,
  };
}

/** The lowest and highest value a figure took over a report's runs. */
function range(report: BenchReport, metric: string, single: number): [number, number] {
  const values = report.repeats?.runs.map((r) => r[metric]).filter((v): v is number => v !== undefined) ?? [];
  return values.length ? [Math.min(...values), Math.max(...values)] : [single, single];
}

/** Whether two [low, high] ranges share a value. */
export function rangesOverlap(a: [number, number], b: [number, number]): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}
