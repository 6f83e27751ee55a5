/**
 * Gateway against the bare proxy against the provider: added latency per percentile, throughput
 * ratios, CPU per request. Only when every phase served every request: a phase with failures
 * (a provider that closed connections, a proxy that refused) has latencies of another kind, and
 * subtracting them gives numbers such as a negative added latency. Then the section keeps the
 * measured latencies, gives no difference or ratio, and says why.
 */
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
  const refusedBecause = whyNotComparable(phases);
  const comparable = refusedBecause === undefined;
  return {
    rounds,
    rows: ROWS.map(([percentile, key]) => {
      const directMs = at(phases.direct, key);
      const proxyMs = at(phases.proxy, key);
      const gatewayMs = at(phases.gateway, key);
      return {
        percentile,
        directMs,
        proxyMs,
        gatewayMs,
        proxyAddedMs: comparable ? minus(proxyMs, directMs) : null,
        gatewayAddedMs: comparable ? minus(gatewayMs, directMs) : null,
      };
    }),
    requestsPerSecond: { direct: rps(phases.direct), proxy: rps(phases.proxy), gateway: rps(phases.gateway) },
    gatewayOverDirect: comparable ? ratio(rps(phases.gateway), rps(phases.direct)) : null,
    proxyOverDirect: comparable ? ratio(rps(phases.proxy), rps(phases.direct)) : null,
    gatewayCpuMicrosPerRequest: cpu.gateway?.cpuMicrosPerRequest ?? null,
    proxyCpuMicrosPerRequest: cpu.proxy?.cpuMicrosPerRequest ?? null,
    ...(comparable ? {} : { refusedBecause }),
  };
}

/** Which phases had failed requests, as a sentence; undefined when the comparison holds. */
export function whyNotComparable(phases: { direct?: PhaseReport; proxy?: PhaseReport; gateway?: PhaseReport }): string | undefined {
  const failed: string[] = [];
  for (const role of ['direct', 'proxy', 'gateway'] as const) {
    const counts = phases[role]?.counts;
    if (counts !== undefined && counts.errors > 0) failed.push(`the ${role} phase had ${counts.errors} failed request${counts.errors === 1 ? '' : 's'} of ${counts.completed}`);
  }
  if (failed.length === 0) return undefined;
  return `No overhead figure: ${failed.join(' and ')}. Failed requests end at another time than served ones, so the difference would measure the failures, not the gateway; see the errors by kind above, fix their cause and run again.`;
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
