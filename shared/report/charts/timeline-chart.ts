/** Requests per second (bars) and p99 latency (line) over the run, in the windows the timeline recorded. */
import { fmtInt, fmtMs } from '../format';
import type { PhaseReport } from '../schema';
import { dots, emptyChart, legend, linear, niceMax, niceTicks, PALETTE, plot, polyline, rect, svgDocument, xAxis, yAxis } from './svg-kit';

export function timelineChart(phase: PhaseReport, id: string): string {
  const title = `Requests/s and p99 over time: ${phase.label}`;
  const points = phase.timeline;
  if (!points.length) return emptyChart(id, title, 'No request completed: no timeline.');
  const p = plot(640, 280, { right: 64 });
  const last = points[points.length - 1]!;
  const seconds = Math.max(last.windowSec, last.tSec + last.windowSec);
  const maxRate = niceMax(Math.max(...points.map((t) => t.requestsPerSecond)));
  const maxP99 = niceMax(Math.max(0, ...points.map((t) => t.p99Ms ?? 0)));
  const x = linear([0, seconds], [p.left, p.width - p.right]);
  const yRate = linear([0, maxRate], [p.height - p.bottom, p.top]);
  const yP99 = linear([0, maxP99], [p.height - p.bottom, p.top]);
  const body = [
    yAxis(p, niceTicks(0, maxRate, 4), yRate, (v) => fmtInt(v), 'left', 'requests/s', PALETTE[0]),
    yAxis(p, niceTicks(0, maxP99, 4), yP99, (v) => fmtMs(v), 'right', 'p99', PALETTE[1]),
  ];
  for (const t of points) {
    const top = yRate(t.requestsPerSecond);
    body.push(rect(x(t.tSec) + 0.5, top, Math.max(1, x(t.tSec + t.windowSec) - x(t.tSec) - 1), p.height - p.bottom - top, t.errors > 0 ? '#fca5a5' : '#93c5fd'));
  }
  const p99 = points.filter((t) => t.p99Ms !== null).map((t) => [x(t.tSec + t.windowSec / 2), yP99(t.p99Ms!)] as [number, number]);
  body.push(polyline(p99, PALETTE[1]!), dots(p99, PALETTE[1]!, 2));
  const ticks = niceTicks(0, seconds, 8)
    .filter((s) => s <= seconds + 1e-9)
    .map((s) => ({ at: x(s), label: `${+s.toFixed(2)}s` }));
  body.push(xAxis(p, ticks, 'time since the first send'));
  body.push(legend(p, [{ label: 'requests/s', color: '#93c5fd' }, { label: 'p99', color: PALETTE[1]!, dash: true }]));
  return svgDocument(p, title, body, id);
}
