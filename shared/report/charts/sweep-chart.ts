/** Throughput and p99 against concurrency for a sweep, with the ceiling marked. */
import { fmtInt, fmtMs } from '../format';
import type { SweepResult } from '../schema';
import { dots, emptyChart, legend, line, linear, niceMax, niceTicks, PALETTE, plot, polyline, svgDocument, text, xAxis, yAxis } from './svg-kit';

export function sweepChart(sweep: SweepResult, id = 'sweep'): string {
  const title = 'Throughput and p99 against concurrency';
  const pts = sweep.points;
  if (!pts.length) return emptyChart(id, title, 'The sweep did not run.');
  const p = plot(640, 300, { right: 64 });
  // Levels are evenly spaced (1, 10, 50, 100 would crowd on a linear axis).
  const x = (i: number) => (pts.length === 1 ? p.left + (p.width - p.left - p.right) / 2 : linear([0, pts.length - 1], [p.left + 20, p.width - p.right - 20])(i));
  const maxRate = niceMax(Math.max(...pts.map((s) => s.requestsPerSecond)));
  const maxP99 = niceMax(Math.max(0, ...pts.map((s) => s.p99Ms ?? 0)));
  const yRate = linear([0, maxRate], [p.height - p.bottom, p.top]);
  const yP99 = linear([0, maxP99], [p.height - p.bottom, p.top]);
  const body = [
    yAxis(p, niceTicks(0, maxRate, 4), yRate, (v) => fmtInt(v), 'left', 'requests/s', PALETTE[0]),
    yAxis(p, niceTicks(0, maxP99, 4), yP99, (v) => fmtMs(v), 'right', 'p99', PALETTE[1]),
    xAxis(p, pts.map((s, i) => ({ at: x(i), label: String(s.concurrency) })), 'concurrency'),
  ];
  const ceilingIndex = sweep.ceiling ? pts.findIndex((s) => s.concurrency === sweep.ceiling!.concurrency) : -1;
  if (ceilingIndex >= 0) {
    const cx = x(ceilingIndex);
    body.push(line(cx, p.top, cx, p.height - p.bottom, '#d97706', 2, '6 4'));
    body.push(text(cx + 4, p.top + 12, `ceiling: ${sweep.ceiling!.concurrency} concurrent`, { color: '#b45309', weight: 600 }));
  }
  const rate = pts.map((s, i) => [x(i), yRate(s.requestsPerSecond)] as [number, number]);
  const p99 = pts.flatMap((s, i) => (s.p99Ms === null ? [] : [[x(i), yP99(s.p99Ms)] as [number, number]]));
  body.push(polyline(rate, PALETTE[0]!), dots(rate, PALETTE[0]!, 3.5), polyline(p99, PALETTE[1]!, 2, '5 3'), dots(p99, PALETTE[1]!, 3));
  body.push(legend(p, [{ label: 'requests/s', color: PALETTE[0]! }, { label: 'p99', color: PALETTE[1]!, dash: true }]));
  return svgDocument(p, title, body, id);
}
