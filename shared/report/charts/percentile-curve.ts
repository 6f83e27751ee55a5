/** Latency against percentile, one line per phase; the x axis stretches the tail (90, 99, 99.9 …). */
import { fmtMs } from '../format';
import type { Distribution, PhaseReport } from '../schema';
import { dots, emptyChart, legend, linear, niceMax, niceTicks, PALETTE, plot, polyline, svgDocument, xAxis, yAxis } from './svg-kit';

const MAX_NINES = 4; // up to 99.99

/** Position of a percentile on a "number of nines" axis: 0 → 0, 90 → 1, 99 → 2, 99.9 → 3. */
function nines(percentile: number): number {
  return Math.min(MAX_NINES, -Math.log10(Math.max(1 - percentile / 100, 10 ** -MAX_NINES)));
}

type Pick = (p: PhaseReport) => Distribution | null;

export function percentileCurveChart(
  phases: readonly PhaseReport[],
  id = 'percentiles',
  title = 'Latency by percentile (from the intended send time)',
  pick: Pick = (p) => p.latency,
  axisLabel = 'latency',
): string {
  const series = phases.filter((p) => pick(p));
  if (!series.length) return emptyChart(id, title, 'Nothing measured to plot.');
  const p = plot(640, 320);
  const maxMs = niceMax(Math.max(...series.map((s) => pick(s)!.curve.filter((c) => c.percentile < 100).reduce((m, c) => Math.max(m, c.ms), 0))));
  const x = linear([0, MAX_NINES], [p.left, p.width - p.right]);
  const y = linear([0, maxMs], [p.height - p.bottom, p.top]);
  const body = [
    yAxis(p, niceTicks(0, maxMs), y, (v) => fmtMs(v), 'left', axisLabel),
    xAxis(p, ['0', '90', '99', '99.9', '99.99'].map((label, i) => ({ at: x(i), label })), 'percentile'),
  ];
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const pts = pick(s)!.curve.filter((c) => c.percentile < 100).map((c) => [x(nines(c.percentile)), y(Math.min(c.ms, maxMs))] as [number, number]);
    body.push(polyline(pts, color), dots(pts, color, 2.5));
  });
  body.push(legend(p, series.slice(0, 6).map((s, i) => ({ label: s.label, color: PALETTE[i % PALETTE.length]! }))));
  return svgDocument(p, title, body, id);
}
