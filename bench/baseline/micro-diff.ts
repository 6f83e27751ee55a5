/**
 * Compares two micro-suite reports row by row, in the baseline diff's shape so that the
 * compare step prints and saves it the same way. A row's noise is its interquartile spread
 * (the wider of the two sides), never less than the drift the same code shows between two
 * processes on one machine (JIT decisions, placement in memory): a change is a regression
 * only when it is larger than that and the two sides' interquartile ranges do not overlap.
 */
import type { BaselineDiff } from '../../shared/report/schema';
import type { MicroReport, MicroRowResult } from '../micro/micro-result';

/** Between-process drift of an unchanged row, in percent; below it no verdict is given. */
export const MICRO_DRIFT_PCT = 10;

export function diffMicroReports(baseline: MicroReport, current: MicroReport, baselineName: string, currentName: string): BaselineDiff {
  const before = new Map(baseline.rows.map((row) => [row.name, row]));
  const rows: BaselineDiff['rows'] = [];
  for (const now of current.rows) {
    const base = before.get(now.name);
    if (!measured(base) || !measured(now)) continue;
    const changePct = ((now.medianNs - base.medianNs) / base.medianNs) * 100;
    const noisePct = Math.max(MICRO_DRIFT_PCT, spreadPct(base), spreadPct(now));
    const overlap = base.p25Ns <= now.p75Ns && now.p25Ns <= base.p75Ns;
    const verdict = Math.abs(changePct) <= noisePct || overlap ? 'within-noise' : changePct > 0 ? 'regression' : 'improvement';
    rows.push({ metric: now.name, unit: 'ns', better: 'lower', baseline: base.medianNs, current: now.medianNs, changePct, noisePct, verdict });
  }
  return {
    baseline: baselineName,
    current: currentName,
    rows,
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    improvements: rows.filter((r) => r.verdict === 'improvement').length,
  };
}

type Measured = MicroRowResult & { medianNs: number; p25Ns: number; p75Ns: number };

function measured(row: MicroRowResult | undefined): row is Measured {
  return row !== undefined && row.status === 'ok' && row.medianNs !== undefined && row.medianNs > 0 && row.p25Ns !== undefined && row.p75Ns !== undefined;
}

function spreadPct(row: Measured): number {
  return ((row.p75Ns - row.p25Ns) / row.medianNs) * 100;
}
