/**
 * The figures that baselines compare and repeated runs measure the noise of, flattened
 * to `name → value`. Shared so that the editor can show the same comparison.
 */
import type { BenchReport } from './schema';

export interface KeyFigure {
  value: number;
  unit: string;
  better: 'higher' | 'lower';
}

export function keyFigures(report: BenchReport): Record<string, KeyFigure> {
  const out: Record<string, KeyFigure> = {};
  for (const p of report.phases) {
    out[`${p.name}.requestsPerSecond`] = { value: p.okPerSecond, unit: 'req/s', better: 'higher' };
    if (p.latency) {
      out[`${p.name}.p50Ms`] = { value: p.latency.summary.p50Ms, unit: 'ms', better: 'lower' };
      out[`${p.name}.p90Ms`] = { value: p.latency.summary.p90Ms, unit: 'ms', better: 'lower' };
      out[`${p.name}.p99Ms`] = { value: p.latency.summary.p99Ms, unit: 'ms', better: 'lower' };
    }
    if (p.ttft) out[`${p.name}.ttftP50Ms`] = { value: p.ttft.summary.p50Ms, unit: 'ms', better: 'lower' };
    out[`${p.name}.errorPct`] = { value: p.counts.completed > 0 ? (p.counts.errors / p.counts.completed) * 100 : 0, unit: '%', better: 'lower' };
  }
  const o = report.overhead;
  if (o?.gatewayOverDirect != null) out['overhead.gatewayOverDirect'] = { value: o.gatewayOverDirect, unit: '×', better: 'higher' };
  if (o?.proxyOverDirect != null) out['overhead.proxyOverDirect'] = { value: o.proxyOverDirect, unit: '×', better: 'higher' };
  const d = report.daemon;
  if (d?.cpuMicrosPerRequest != null) out['daemon.cpuMicrosPerRequest'] = { value: d.cpuMicrosPerRequest, unit: 'µs', better: 'lower' };
  if (d?.rssLoadBytes != null) out['daemon.rssLoadMB'] = { value: d.rssLoadBytes / (1024 * 1024), unit: 'MB', better: 'lower' };
  if (d?.rssIdleBytes != null) out['daemon.rssIdleMB'] = { value: d.rssIdleBytes / (1024 * 1024), unit: 'MB', better: 'lower' };
  return out;
}
