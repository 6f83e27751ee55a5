/**
 * The report's HTML sections (banner, tables, summary lines) as strings: the self-contained
 * HTML report and the editor's webview show the same tables. Class names only, no styles:
 * each page styles them its own way.
 */
import { reportCharts } from './charts/index';
import { escapeXml, fmtBytes, fmtCpuMs, fmtInt, fmtMs, fmtPct, fmtRate } from './format';
import type { BaselineDiff, BenchReport } from './schema';

/** When, how and where the run was made. */
export function metaLine(r: BenchReport): string {
  return `<div class="meta">${escapeXml(r.createdAt)} · ${escapeXml(r.command)} · ${r.host.cpus} CPUs, ${escapeXml(r.host.platform)}/${escapeXml(r.host.arch)}, Node ${escapeXml(r.host.node)} · report v${r.version}</div>`;
}

/** Every chart the report calls for, one figure each, as inline SVG. */
export function chartFigures(r: BenchReport): string {
  return reportCharts(r)
    .map((c) => `<figure data-chart-id="${escapeXml(c.id)}" data-chart-kind="${c.kind}">${c.svg}</figure>`)
    .join('\n');
}

/** One line on how the run went: `bad` (all failed), `warn` (interrupted, generator-bound, errors) or `ok`. */
export function banner(r: BenchReport): string {
  if (r.allFailed) return `<div class="banner bad">${escapeXml(r.notes[r.status === 'interrupted' ? 1 : 0] ?? 'Every request failed.')}</div>`;
  if (r.status === 'interrupted') return '<div class="banner warn">Interrupted: a partial report of what ran.</div>';
  if (r.generatorBound) return '<div class="banner warn">Generator-bound in some phases: those figures show the load generator\'s limit, not the target\'s.</div>';
  const errors = r.phases.reduce((s, p) => s + p.counts.errors, 0);
  return errors ? `<div class="banner warn">${fmtInt(errors)} requests failed.</div>` : '<div class="banner ok">Complete, no errors.</div>';
}

export function notesList(r: BenchReport): string {
  return r.notes.length ? `<h2>Notes</h2><ul class="notes">${r.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>` : '';
}

/** Throughput and latency percentiles per phase. */
export function phaseTable(r: BenchReport): string {
  const head = ['phase', 'req/s', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'TTFT p50', 'TPOT p50', 'ok', 'errors'];
  const rows = r.phases.map((p) => {
    const s = p.latency?.summary;
    return [p.label, fmtRate(p.okPerSecond), fmtMs(s?.p50Ms), fmtMs(s?.p90Ms), fmtMs(s?.p95Ms), fmtMs(s?.p99Ms), fmtMs(s?.p999Ms), fmtMs(s?.maxMs), fmtMs(p.ttft?.summary.p50Ms), fmtMs(p.tpot?.summary.p50Ms), fmtInt(p.counts.ok), fmtInt(p.counts.errors)];
  });
  return table(head, rows, 'percentiles');
}

export function overheadTable(r: BenchReport): string {
  const o = r.overhead;
  if (!o) return '';
  const proxy = o.requestsPerSecond.proxy !== null;
  if (o.refusedBecause !== undefined) {
    const measured = o.rows.map((x) => [x.percentile, fmtMs(x.directMs), ...(proxy ? [fmtMs(x.proxyMs)] : []), fmtMs(x.gatewayMs)]);
    return `<h2>Gateway against direct</h2><p class="refused"><b>${escapeXml(o.refusedBecause)}</b></p>${table(['latency', 'direct', ...(proxy ? ['proxy'] : []), 'gateway'], measured, 'overhead')}`;
  }
  const head = ['latency', 'direct', ...(proxy ? ['proxy', 'proxy added'] : []), 'gateway', 'gateway added'];
  const rows = o.rows.map((x) => [x.percentile, fmtMs(x.directMs), ...(proxy ? [fmtMs(x.proxyMs), fmtMs(x.proxyAddedMs)] : []), fmtMs(x.gatewayMs), fmtMs(x.gatewayAddedMs)]);
  const ratio = o.gatewayOverDirect === null ? '–' : o.gatewayOverDirect.toFixed(2);
  return `<h2>Gateway against direct</h2>${table(head, rows, 'overhead')}<p>Throughput gateway/direct <b>${ratio}</b>${proxy && o.proxyOverDirect !== null ? `, proxy/direct <b>${o.proxyOverDirect.toFixed(2)}</b>` : ''}.</p>`;
}

/** The daemon's memory and CPU, and the sweep's ceiling, when the run measured them. */
export function summaryLines(r: BenchReport): string {
  return [
    r.daemon
      ? `<p>Daemon RSS idle <b>${fmtBytes(r.daemon.rssIdleBytes)}</b>, under load <b>${fmtBytes(r.daemon.rssLoadBytes)}</b>; CPU <b>${fmtCpuMs(r.daemon.cpuMicrosPerRequest)}</b> per request.</p>`
      : '',
    r.sweep?.ceiling ? `<p>Throughput ceiling: <b>${r.sweep.ceiling.concurrency} concurrent</b>, ${fmtRate(r.sweep.ceiling.requestsPerSecond)} req/s (${escapeXml(r.sweep.ceiling.reason)}).</p>` : '',
  ].join('');
}

/** Figure by figure against the baseline, with each row's verdict. */
export function baselineTable(d: BaselineDiff): string {
  const head = ['figure', 'baseline', 'this run', 'change', 'noise', 'verdict'];
  const rows = d.rows.map((x) => [x.metric, `${fmtFigure(x.baseline)} ${x.unit}`, `${fmtFigure(x.current)} ${x.unit}`, fmtPct(x.changePct), x.noisePct === null ? '–' : `±${x.noisePct.toFixed(1)}%`, x.verdict]);
  const summary = `${d.regressions} regression${d.regressions === 1 ? '' : 's'}, ${d.improvements} improvement${d.improvements === 1 ? '' : 's'} against <b>${escapeXml(d.baseline)}</b>.`;
  return `<h2>Against the baseline</h2><p>${summary}</p>${table(head, rows, 'baseline')}`;
}

export function table(head: string[], rows: string[][], id?: string): string {
  return `<table${id ? ` data-table="${escapeXml(id)}"` : ''}><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function fmtFigure(n: number): string {
  return Math.abs(n) >= 100 ? fmtInt(n) : n.toFixed(2);
}
