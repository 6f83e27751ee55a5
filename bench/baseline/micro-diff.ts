/**
 * Compares two micro-suite reports row by row, in the baseline diff's shape so that the
 * compare step prints and saves it the same way. A row's noise is the widest of the two sides'
 * interquartile spreads and of the spreads between their rounds, never less than the drift the
 * same code shows between two processes on one machine (JIT decisions, placement in memory): a
 * change is a regression only when it is larger than that and the two sides' ranges (quartiles
 * widened to every round's median) do not overlap.
 *
 * When both reports have the machine's yardstick row, each row's change is judged after dividing
 * out the yardstick's: a machine that got 12% slower between two runs of the same code makes
 * every row 12% slower, and that is not the gateway's doing. The yardstick is one row timed at
 * one moment of each round, and on a shared host it swings by itself (17% faster in one run while
 * the rows were not). So a row gets a verdict only when its change is beyond noise both as
 * measured and with the yardstick divided out; when the two disagree, the machine explains the
 * difference. The yardstick row itself is listed with its own change and no verdict on the
 * gateway.
 */
import { baselineDiffOf, rangesOverlap } from '../../shared/report/baseline-diff';
import type { BaselineDiff } from '../../shared/report/schema';
import type { MicroReport, MicroRowResult } from './micro-report';

/** The row that measures the machine rather than the gateway (bench/micro/rows/machine-rows.ts). */
export const YARDSTICK = 'machine/yardstick';

/** Between-process drift of an unchanged row, in percent; below it no verdict is given. */
export const MICRO_DRIFT_PCT = 10;

export function diffMicroReports(baseline: MicroReport, current: MicroReport, baselineName: string, currentName: string): BaselineDiff {
  const before = new Map(baseline.rows.map((row) => [row.name, row]));
  const machine = machineFactor(before.get(YARDSTICK), current.rows.find((row) => row.name === YARDSTICK));
  const rows: BaselineDiff['rows'] = [];
  for (const now of current.rows) {
    const base = before.get(now.name);
    if (!measured(base) || !measured(now)) continue;
    if (now.name === YARDSTICK) {
      rows.push({ metric: `${now.name} (divided out of the rows below)`, unit: 'ns', better: 'lower', baseline: base.medianNs, current: now.medianNs, changePct: changePctOf(base, now, 1), noisePct: null, verdict: 'noise-unknown' });
      continue;
    }
    const noisePct = Math.max(MICRO_DRIFT_PCT, spreadPct(base), spreadPct(now), roundsPct(base), roundsPct(now));
    const divided = verdictOf(base, now, machine, noisePct);
    const verdict = verdictOf(base, now, 1, noisePct) === divided ? divided : 'within-noise';
    rows.push({ metric: now.name, unit: 'ns', better: 'lower', baseline: base.medianNs, current: now.medianNs, changePct: changePctOf(base, now, machine), noisePct, verdict });
  }
  return baselineDiffOf(baselineName, currentName, rows);
}

/** A row's change in percent, with `machine` (the yardstick's ratio, or 1 for the figures as measured) divided out of the current side. */
function changePctOf(base: Measured, now: Measured, machine: number): number {
  return ((now.medianNs / machine - base.medianNs) / base.medianNs) * 100;
}

/** A row's verdict with `machine` divided out of the current side (see `changePctOf`). */
function verdictOf(base: Measured, now: Measured, machine: number, noisePct: number): Exclude<Verdict, 'noise-unknown'> {
  const changePct = changePctOf(base, now, machine);
  const [low, high] = range(now);
  if (Math.abs(changePct) <= noisePct || rangesOverlap(range(base), [low / machine, high / machine])) return 'within-noise';
  return changePct > 0 ? 'regression' : 'improvement';
}

/** How much slower (above 1) the machine ran the yardstick in the current report; 1 without it in both. */
function machineFactor(base: MicroRowResult | undefined, now: MicroRowResult | undefined): number {
  return measured(base) && measured(now) ? now.medianNs / base.medianNs : 1;
}

type Measured = MicroRowResult & { medianNs: number; p25Ns: number; p75Ns: number };
type Verdict = BaselineDiff['rows'][number]['verdict'];

function measured(row: MicroRowResult | undefined): row is Measured {
  return row !== undefined && row.status === 'ok' && row.medianNs !== undefined && row.medianNs > 0 && row.p25Ns !== undefined && row.p75Ns !== undefined;
}

/** How far apart the run's rounds were, as a share of its median. */
function roundsPct(row: Measured): number {
  const rounds = row.roundMediansNs ?? [];
  return rounds.length > 1 ? ((Math.max(...rounds) - Math.min(...rounds)) / row.medianNs) * 100 : 0;
}

/** The interquartile range of the median round, widened to every round's median. */
function range(row: Measured): [number, number] {
  const rounds = row.roundMediansNs ?? [];
  return [Math.min(row.p25Ns, ...rounds), Math.max(row.p75Ns, ...rounds)];
}

function spreadPct(row: Measured): number {
  return ((row.p75Ns - row.p25Ns) / row.medianNs) * 100;
}
