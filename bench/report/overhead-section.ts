/** Gateway against the bare proxy against the provider: added latency per percentile, throughput ratios, CPU per request. */
import type { OverheadResult, PhaseReport, ProcessFigures } from '../../shared/report/schema';

const ROWS: [string, keyof NonNullable<PhaseReport['latency']>['summary']][] = [
  ['p50', 'p50Ms'],
  ['p90', 'p90Ms'],
  ['p95', 'p95Ms'],
  ['p99', 'p99Ms'],
  ['p99.9', 'p999Ms'],
  ['max', 'maxMs'],
];

export function overheadSection(
  phases: { direct?: PhaseReport; proxy?: PhaseReport; gateway?: PhaseReport },
  rounds: number,
  cpu: { gateway: ProcessFigures | null; proxy: ProcessFigures | null },
): OverheadResult {
  const at = (p: PhaseReport | undefined, key: (typeof ROWS)[number][1]) => p?.latency?.summary[key] ?? null;
  const minus = (a: number | null, b: number | null) => (a !== null && b !== null ? a - b : null);
  const rps = (p: PhaseReport | undefined) => (p ? p.okPerSecond : null);
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : null);
  return {
    rounds,
    rows: ROWS.map(([percentile, key]) => {
      const directMs = at(phases.direct, key);
      const proxyMs = at(phases.proxy, key);
      const gatewayMs = at(phases.gateway, key);
      return { percentile, directMs, proxyMs, gatewayMs, proxyAddedMs: minus(proxyMs, directMs), gatewayAddedMs: minus(gatewayMs, directMs) };
    }),
    requestsPerSecond: { direct: rps(phases.direct), proxy: rps(phases.proxy), gateway: rps(phases.gateway) },
    gatewayOverDirect: ratio(rps(phases.gateway), rps(phases.direct)),
    proxyOverDirect: ratio(rps(phases.proxy), rps(phases.direct)),
    gatewayCpuMicrosPerRequest: cpu.gateway?.cpuMicrosPerRequest ?? null,
    proxyCpuMicrosPerRequest: cpu.proxy?.cpuMicrosPerRequest ?? null,
  };
}

/** Adds up process figures of several chunks of load, weighting CPU per request by requests served. */
export function combineProcessFigures(parts: { figures: ProcessFigures | null; requests: number }[]): ProcessFigures | null {
  const present = parts.filter((p): p is { figures: ProcessFigures; requests: number } => p.figures !== null);
  if (!present.length) return null;
  const withCpu = present.filter((p) => p.figures.cpuMicrosPerRequest !== null);
  const requests = withCpu.reduce((s, p) => s + p.requests, 0);
  const loads = present.map((p) => p.figures.rssLoadBytes).filter((n): n is number => n !== null);
  return {
    rssIdleBytes: present[0]!.figures.rssIdleBytes,
    rssLoadBytes: loads.length ? Math.max(...loads) : null,
    cpuMicrosPerRequest: requests > 0 ? withCpu.reduce((s, p) => s + p.figures.cpuMicrosPerRequest! * p.requests, 0) / requests : null,
  };
}
