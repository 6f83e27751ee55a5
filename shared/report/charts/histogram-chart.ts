/** The latency histogram of one phase (linear buckets up to p99.9; the last bar holds the tail). */
import { fmtInt, fmtMs } from '../format';
import type { PhaseReport } from '../schema';
import { emptyChart, innerWidth, linear, niceMax, niceTicks, PALETTE, plot, rect, svgDocument, xAxis, yAxis } from './svg-kit';

export function histogramChart(phase: PhaseReport, id: string): string {
  const title = `Latency histogram: ${phase.label}`;
  const buckets = phase.latency?.buckets ?? [];
  if (!buckets.length) return emptyChart(id, title, 'No successful requests: no histogram.');
  const p = plot(640, 260);
  const maxCount = niceMax(Math.max(...buckets.map((b) => b.count)));
  const y = linear([0, maxCount], [p.height - p.bottom, p.top]);
  const barWidth = innerWidth(p) / buckets.length;
  const body = [yAxis(p, niceTicks(0, maxCount, 4), y, (v) => fmtInt(v), 'left', 'requests')];
  buckets.forEach((b, i) => {
    const top = y(b.count);
    body.push(rect(p.left + i * barWidth + 0.5, top, barWidth - 1, p.height - p.bottom - top, PALETTE[0]!));
  });
  const step = Math.ceil(buckets.length / 6);
  const ticks = buckets
    .map((b, i) => ({ at: p.left + i * barWidth, label: fmtMs(b.fromMs), i }))
    .filter((t) => t.i % step === 0)
    .concat([{ at: p.width - p.right, label: `${fmtMs(buckets[buckets.length - 1]!.toMs)}`, i: -1 }]);
  body.push(xAxis(p, ticks, 'latency'));
  return svgDocument(p, title, body, id);
}
