/**
 * The rounds of a micro-suite run, each measured in a process of its own, merged into one
 * result per row. Rounds inside one process share its JIT decisions and memory layout, so their
 * spread misses the largest noise there is between two runs of the same code: the same row can
 * be optimized one way in one process and another way in the next (a plain object literal took
 * 63 ns in one run and 121 ns in the next). Taken in separate processes, the rounds' medians
 * show that drift, and a comparison counts it as noise instead of calling it a regression.
 *
 * A row's median is the median of its rounds' medians (the upper one of an even count, a figure
 * actually measured), and its other figures are that round's; every round's median is kept. A
 * row that failed in any round fails, with that round's error.
 */
import type { MicroRowResult } from '../baseline/micro-report';
import { upperMedian } from '../metrics/median';

export function mergeRounds(rounds: MicroRowResult[][]): MicroRowResult[] {
  if (rounds.length === 0) return [];
  if (rounds.length === 1) return rounds[0]!;
  const byName = new Map<string, MicroRowResult[]>();
  for (const round of rounds) for (const row of round) (byName.get(row.name) ?? byName.set(row.name, []).get(row.name)!).push(row);
  // Rows in the order the first round measured them.
  return rounds[0]!.map((first) => mergeRow(byName.get(first.name)!));
}

function mergeRow(results: MicroRowResult[]): MicroRowResult {
  const failed = results.find((row) => row.status !== 'ok' || row.medianNs === undefined);
  if (failed !== undefined) return { ...failed, status: 'failed', error: failed.error ?? 'no figure in one of the rounds', ratio: null, budgetMet: null };
  const medians = results.map((row) => row.medianNs!);
  const middle = upperMedian(medians);
  // That round's figures stand for the row (its ratio and budget verdict with them); what is
  // measured against another row (the added time) is judged again on the merged rows.
  const { addedNs: _judgedAgain, ...chosen } = results.find((row) => row.medianNs === middle)!;
  return {
    ...chosen,
    roundMediansNs: medians,
    samples: results.reduce((sum, row) => sum + (row.samples ?? 0), 0),
    minNs: Math.min(...results.map((row) => row.minNs ?? middle)),
    maxNs: Math.max(...results.map((row) => row.maxNs ?? middle)),
  };
}
