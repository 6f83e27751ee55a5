/** The report as text for the terminal: one row per phase, then the scenario's own sections and the notes. */
import { fmtBytes, fmtCpuMs, fmtInt, fmtMs, fmtPct, fmtRate } from '../../shared/report/format';
import type { BaselineDiff, BenchReport, PhaseReport } from '../../shared/report/schema';
import { textTable } from './text-table';

export function renderTerminalReport(r: BenchReport): string {
  const out: string[] = [`${r.title}`, ''];
  out.push(
    textTable(
      ['phase', 'req/s', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'ok', 'errors'],
      r.phases.map((p) => {
        const s = p.latency?.summary;
        return [p.label, fmtRate(p.okPerSecond), fmtMs(s?.p50Ms), fmtMs(s?.p90Ms), fmtMs(s?.p95Ms), fmtMs(s?.p99Ms), fmtMs(s?.p999Ms), fmtMs(s?.maxMs), fmtInt(p.counts.ok), fmtInt(p.counts.errors)];
      }),
    ),
  );
  const streamed = r.phases.filter((p) => p.ttft);
  if (streamed.length) {
    out.push('', 'Streaming (TTFT and inter-token latency from the send; time per output token = (last − first chunk) / (tokens − 1)):');
    out.push(
      textTable(
        ['phase', 'TTFT p50', 'TTFT p99', 'TPOT p50', 'TPOT p99', 'ITL p50', 'ITL p99', 'tokens/s'],
        streamed.map((p) => [p.label, fmtMs(p.ttft?.summary.p50Ms), fmtMs(p.ttft?.summary.p99Ms), fmtMs(p.tpot?.summary.p50Ms), fmtMs(p.tpot?.summary.p99Ms), fmtMs(p.itl?.summary.p50Ms), fmtMs(p.itl?.summary.p99Ms), fmtRate(p.outputTokensPerSecond)]),
      ),
    );
  }
  const open = r.phases.filter((p) => p.load.mode === 'open');
  if (open.length) {
    out.push('', 'Open loop (latency from the intended send time; service time from the actual send):');
    out.push(
      textTable(
        ['phase', 'target/s', 'achieved/s', 'service p50', 'service p99', 'late', 'dropped'],
        open.map((p) => [p.label, p.load.rate !== undefined ? fmtRate(p.load.rate) : 'staged', fmtRate(p.achievedRate), fmtMs(p.service?.summary.p50Ms), fmtMs(p.service?.summary.p99Ms), fmtInt(p.counts.late), fmtInt(p.counts.dropped)]),
      ),
    );
  }
  for (const p of r.phases.filter((x) => x.byModel.length > 1)) out.push('', modelTable(p));
  for (const p of r.phases.filter((x) => x.goodput)) out.push('', `${p.label}: goodput ${fmtRate(p.goodput!.requestsPerSecond)} req/s (${(p.goodput!.fraction * 100).toFixed(1)}% within the SLO)`);
  if (r.sweep) {
    out.push('', 'Sweep:');
    out.push(
      textTable(
        ['concurrency', 'req/s', 'p50', 'p99', ''],
        r.sweep.points.map((pt) => [String(pt.concurrency), fmtRate(pt.requestsPerSecond), fmtMs(pt.p50Ms), fmtMs(pt.p99Ms), r.sweep!.ceiling?.concurrency === pt.concurrency ? '◀ ceiling' : '']),
      ),
    );
    out.push(r.sweep.ceiling ? `Ceiling: ${r.sweep.ceiling.concurrency} concurrent, ${fmtRate(r.sweep.ceiling.requestsPerSecond)} req/s (${r.sweep.ceiling.reason})` : 'Ceiling: not reached at the levels tried');
  }
  if (r.overhead) out.push('', overheadText(r));
  if (r.daemon) {
    out.push('', `Daemon: RSS idle ${fmtBytes(r.daemon.rssIdleBytes)}, under load ${fmtBytes(r.daemon.rssLoadBytes)}, CPU ${fmtCpuMs(r.daemon.cpuMicrosPerRequest)} per request`);
  }
  if (r.repeats) {
    out.push('', `Repeated ${r.repeats.count}×: medians and run-to-run spread:`);
    out.push(textTable(['figure', 'median', 'spread'], Object.entries(r.repeats.median).map(([k, v]) => [k, v.toFixed(3), `${(r.repeats!.noisePct[k] ?? 0).toFixed(1)}%`])));
  }
  if (r.baselineDiff) out.push('', baselineText(r));
  const gen = r.phases.map((p) => `${p.label}: ${(p.generator.cpuFraction * 100).toFixed(0)}% CPU, loop delay p99 ${p.generator.eventLoopDelayP99Ms.toFixed(1)} ms`);
  out.push('', `Generator: ${r.generatorBound ? 'GENERATOR-BOUND in some phases' : 'not the bottleneck'} (${gen.join('; ')})`);
  if (r.notes.length) out.push('', 'Notes:', ...r.notes.map((n) => `  • ${n}`));
  return out.join('\n');
}

function modelTable(p: PhaseReport): string {
  return `${p.label}, per model:\n${textTable(
    ['model', 'requests', 'share', 'req/s', 'p50', 'p99', 'errors'],
    p.byModel.map((m) => [m.model, fmtInt(m.requests), `${(m.fraction * 100).toFixed(1)}%`, fmtRate(m.requestsPerSecond), fmtMs(m.p50Ms), fmtMs(m.p99Ms), fmtInt(m.errors)]),
  )}`;
}

function overheadText(r: BenchReport): string {
  const o = r.overhead!;
  const hasProxy = o.requestsPerSecond.proxy !== null;
  const header = ['latency', 'direct', ...(hasProxy ? ['proxy', 'proxy +'] : []), 'gateway', 'gateway +'];
  const rows = o.rows.map((row) => [row.percentile, fmtMs(row.directMs), ...(hasProxy ? [fmtMs(row.proxyMs), fmtMs(row.proxyAddedMs)] : []), fmtMs(row.gatewayMs), fmtMs(row.gatewayAddedMs)]);
  const ratio = (x: number | null) => (x === null ? '–' : x.toFixed(2));
  if (o.refusedBecause !== undefined) {
    const measured = o.rows.map((row) => [row.percentile, fmtMs(row.directMs), ...(hasProxy ? [fmtMs(row.proxyMs)] : []), fmtMs(row.gatewayMs)]);
    return [
      `Gateway against direct${hasProxy ? ' and the bare pass-through proxy' : ''}: latencies as measured, not compared.`,
      textTable(['latency', 'direct', ...(hasProxy ? ['proxy'] : []), 'gateway'], measured),
      o.refusedBecause,
    ].join('\n');
  }
  const lines = [
    `Gateway against direct${hasProxy ? ' and the bare pass-through proxy' : ''}${o.rounds > 1 ? ` (${o.rounds} alternating rounds)` : ''}:`,
    textTable(header, rows),
    `Throughput: direct ${fmtRate(o.requestsPerSecond.direct)} req/s${hasProxy ? `, proxy ${fmtRate(o.requestsPerSecond.proxy)}` : ''}, gateway ${fmtRate(o.requestsPerSecond.gateway)}; gateway/direct ${ratio(o.gatewayOverDirect)}${hasProxy ? `, proxy/direct ${ratio(o.proxyOverDirect)}` : ''}`,
  ];
  if (o.gatewayCpuMicrosPerRequest !== null || o.proxyCpuMicrosPerRequest !== null)
    lines.push(`CPU per request: gateway ${fmtCpuMs(o.gatewayCpuMicrosPerRequest)}${hasProxy ? `, proxy ${fmtCpuMs(o.proxyCpuMicrosPerRequest)}` : ''}`);
  return lines.join('\n');
}

export function baselineText(r: BenchReport): string {
  return diffText(r.baselineDiff!);
}

/** A baseline comparison as a table: a load benchmark's key figures or the micro suite's rows. */
export function diffText(d: BaselineDiff): string {
  const rows = d.rows.map((row) => [row.metric, `${+row.baseline.toFixed(3)} ${row.unit}`, `${+row.current.toFixed(3)} ${row.unit}`, fmtPct(row.changePct), row.noisePct === null ? '?' : `±${row.noisePct.toFixed(1)}%`, row.verdict]);
  return `Against the baseline (${d.baseline}): ${d.regressions} regression(s), ${d.improvements} improvement(s) beyond noise\n${textTable(['figure', 'baseline', 'now', 'change', 'noise', 'verdict'], rows)}`;
}

