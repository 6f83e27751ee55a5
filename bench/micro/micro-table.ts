/**
 * The micro suite as a table, for the terminal and as Markdown for PERFORMANCE.md: benchmark,
 * input, our median, spread (interquartile, as a share of the median), hoosh's figure, the
 * ratio, and whether the per-request budget is met.
 */
import { textTable } from '../report/text-table';
import type { MicroReport, MicroRowResult } from '../baseline/micro-report';

const HEADER = ['benchmark', 'input', 'median', 'spread', 'hoosh', 'ratio', 'budget'];

/** ns in the unit a reader expects: ns, µs, ms or s with three significant figures. */
export function formatNs(ns: number): string {
  const [value, unit] = ns >= 1e9 ? [ns / 1e9, 's'] : ns >= 1e6 ? [ns / 1e6, 'ms'] : ns >= 1e3 ? [ns / 1e3, 'µs'] : [ns, 'ns'];
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;
}

function cells(row: MicroRowResult): string[] {
  if (row.status === 'failed') return [row.name, row.input, 'FAILED', '', row.hooshNs === null ? '–' : formatNs(row.hooshNs), '', `FAILED: ${row.error ?? ''}`];
  const median = row.medianNs!;
  const perRequest = row.requestsPerSample ? ` (${formatNs(median / row.requestsPerSample)}/req)` : '';
  const spread = median > 0 ? `±${(((row.p75Ns! - row.p25Ns!) / 2 / median) * 100).toFixed(1)}%` : '–';
  const budget = row.budgetMet === null ? 'n/a' : row.budgetMet ? 'met' : 'NOT met';
  const wall = `${row.clock === 'wall' ? ' wall' : ''}${row.addedNs !== undefined ? ` (${row.addedNs >= 0 ? '+' : '−'}${formatNs(Math.abs(row.addedNs))})` : ''}`;
  return [row.name, row.input, `${formatNs(median)}${perRequest}${wall}`, spread, row.hooshNs === null ? '–' : formatNs(row.hooshNs), row.ratio === null ? '–' : `${row.ratio.toFixed(2)}×`, budget];
}

export function microText(report: MicroReport): string {
  const failed = report.rows.filter((r) => r.status === 'failed').length;
  const head = `Micro-benchmarks (mitata, medians in CPU time unless marked wall; node ${report.node}, ${report.cores} × ${report.cpu}, load average ${report.loadAverage.join(' ')} at start)`;
  const tail = failed > 0 ? `\n${failed} row(s) FAILED.` : '';
  return `${head}\n${textTable(HEADER, report.rows.map(cells))}${tail}`;
}

export function microMarkdown(report: MicroReport): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const row of report.rows) lines.push(`| ${cells(row).map(escape).join(' | ')} |`);
  return lines.join('\n');
}
