/** Side-by-side charts: gateway against proxy and direct, phases of a compare run, models of a mix. */
import { fmtMs, fmtRate } from '../format';
import type { OverheadResult, PhaseReport } from '../schema';
import { groupedBarsChart } from './grouped-bars';

const ROLE_COLORS = { direct: '#16a34a', proxy: '#d97706', gateway: '#2563eb' };

export function overheadChart(o: OverheadResult, id = 'overhead'): string {
  const rows = o.rows.filter((r) => r.percentile !== 'max');
  const series = [
    { label: 'direct', values: rows.map((r) => r.directMs), color: ROLE_COLORS.direct },
    ...(o.requestsPerSecond.proxy !== null ? [{ label: 'pass-through proxy', values: rows.map((r) => r.proxyMs), color: ROLE_COLORS.proxy }] : []),
    { label: 'gateway', values: rows.map((r) => r.gatewayMs), color: ROLE_COLORS.gateway },
  ];
  const ratio = o.gatewayOverDirect === null ? '' : ` (throughput gateway/direct ${o.gatewayOverDirect.toFixed(2)})`;
  const title = o.refusedBecause !== undefined ? 'Latencies as measured: not comparable, a phase had failures' : `Gateway against direct${ratio}`;
  return groupedBarsChart(id, title, rows.map((r) => r.percentile), series, fmtMs, 'latency');
}

export function phaseComparisonChart(phases: readonly PhaseReport[], id = 'compare'): string {
  const withLatency = phases.filter((p) => p.latency);
  const cats = ['p50', 'p90', 'p99'] as const;
  const keys = { p50: 'p50Ms', p90: 'p90Ms', p99: 'p99Ms' } as const;
  return groupedBarsChart(
    id,
    `Side by side: ${withLatency.map((p) => `${p.label} ${fmtRate(p.okPerSecond)} req/s`).join(' · ')}`.slice(0, 110),
    [...cats],
    withLatency.map((p) => ({ label: p.label, values: cats.map((c) => p.latency!.summary[keys[c]]) })),
    fmtMs,
    'latency',
  );
}

export function modelBarsChart(phase: PhaseReport, id: string): string {
  return groupedBarsChart(
    id,
    `Per model: ${phase.label}`,
    phase.byModel.map((m) => `${m.model} (${(m.fraction * 100).toFixed(1)}%)`),
    [
      { label: 'p50', values: phase.byModel.map((m) => m.p50Ms) },
      { label: 'p99', values: phase.byModel.map((m) => m.p99Ms) },
    ],
    fmtMs,
    'latency',
  );
}

export function modelShareChart(phase: PhaseReport, id: string): string {
  return groupedBarsChart(
    id,
    `Requests per model: ${phase.label}`,
    phase.byModel.map((m) => m.model),
    [{ label: 'share of requests (%)', values: phase.byModel.map((m) => m.fraction * 100) }],
    (v) => `${v.toFixed(1)}%`,
    'share',
  );
}
