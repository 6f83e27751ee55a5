/**
 * The self-contained HTML report: summary tables, notes and every chart as inline SVG
 * (drawn by `shared/report/charts`, the same code the editor's webview uses), with the
 * report JSON embedded. Nothing is fetched to view it.
 */
import { reportCharts } from '../../shared/report/charts/index';
import { escapeXml, fmtBytes, fmtCpuMs, fmtInt, fmtMs, fmtRate } from '../../shared/report/format';
import type { BenchReport } from '../../shared/report/schema';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2937;margin:24px auto;max-width:1000px;padding:0 16px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.meta{color:#6b7280;font-size:12px}
table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;white-space:nowrap;border-bottom:1px solid #e5e7eb;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f9fafb;font-weight:600}
.banner{padding:10px 14px;border-radius:6px;margin:12px 0;font-weight:600}
.bad{background:#fee2e2;color:#991b1b}.warn{background:#fef3c7;color:#92400e}.ok{background:#dcfce7;color:#166534}
figure{margin:16px 0;border:1px solid #e5e7eb;border-radius:6px;padding:8px;overflow-x:auto}
svg{max-width:100%;height:auto}
ul.notes li{margin:2px 0}
`;

export function renderHtmlReport(r: BenchReport): string {
  const charts = reportCharts(r);
  const json = JSON.stringify(r).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(r.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeXml(r.title)}</h1>`,
    `<div class="meta">${escapeXml(r.createdAt)} · ${escapeXml(r.command)} · ${r.host.cpus} CPUs, ${escapeXml(r.host.platform)}/${escapeXml(r.host.arch)}, Node ${escapeXml(r.host.node)} · report v${r.version}</div>`,
    banner(r),
    r.notes.length ? `<h2>Notes</h2><ul class="notes">${r.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>` : '',
    '<h2>Summary</h2>',
    phaseTable(r),
    r.overhead ? overheadTable(r) : '',
    r.daemon
      ? `<p>Daemon RSS idle <b>${fmtBytes(r.daemon.rssIdleBytes)}</b>, under load <b>${fmtBytes(r.daemon.rssLoadBytes)}</b>; CPU <b>${fmtCpuMs(r.daemon.cpuMicrosPerRequest)}</b> per request.</p>`
      : '',
    r.sweep?.ceiling ? `<p>Throughput ceiling: <b>${r.sweep.ceiling.concurrency} concurrent</b>, ${fmtRate(r.sweep.ceiling.requestsPerSecond)} req/s (${escapeXml(r.sweep.ceiling.reason)}).</p>` : '',
    '<h2>Charts</h2>',
    ...charts.map((c) => `<figure data-chart-id="${escapeXml(c.id)}" data-chart-kind="${c.kind}">${c.svg}</figure>`),
    `<script type="application/json" id="switchyard-report">${json}</script>`,
    '</body></html>',
  ].join('\n');
}

function banner(r: BenchReport): string {
  if (r.allFailed) return `<div class="banner bad">${escapeXml(r.notes[r.status === 'interrupted' ? 1 : 0] ?? 'Every request failed.')}</div>`;
  if (r.status === 'interrupted') return '<div class="banner warn">Interrupted: a partial report of what ran.</div>';
  if (r.generatorBound) return '<div class="banner warn">Generator-bound in some phases: those figures show the load generator\'s limit, not the target\'s.</div>';
  const errors = r.phases.reduce((s, p) => s + p.counts.errors, 0);
  return errors ? `<div class="banner warn">${fmtInt(errors)} requests failed.</div>` : '<div class="banner ok">Complete, no errors.</div>';
}

function phaseTable(r: BenchReport): string {
  const head = ['phase', 'req/s', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'TTFT p50', 'TPOT p50', 'ok', 'errors'];
  const rows = r.phases.map((p) => {
    const s = p.latency?.summary;
    return [p.label, fmtRate(p.okPerSecond), fmtMs(s?.p50Ms), fmtMs(s?.p90Ms), fmtMs(s?.p95Ms), fmtMs(s?.p99Ms), fmtMs(s?.p999Ms), fmtMs(s?.maxMs), fmtMs(p.ttft?.summary.p50Ms), fmtMs(p.tpot?.summary.p50Ms), fmtInt(p.counts.ok), fmtInt(p.counts.errors)];
  });
  return table(head, rows);
}

function overheadTable(r: BenchReport): string {
  const o = r.overhead!;
  const proxy = o.requestsPerSecond.proxy !== null;
  if (o.refusedBecause !== undefined) {
    const measured = o.rows.map((x) => [x.percentile, fmtMs(x.directMs), ...(proxy ? [fmtMs(x.proxyMs)] : []), fmtMs(x.gatewayMs)]);
    return `<h2>Gateway against direct</h2><p class="refused"><b>${escapeXml(o.refusedBecause)}</b></p>${table(['latency', 'direct', ...(proxy ? ['proxy'] : []), 'gateway'], measured)}`;
  }
  const head = ['latency', 'direct', ...(proxy ? ['proxy', 'proxy added'] : []), 'gateway', 'gateway added'];
  const rows = o.rows.map((x) => [x.percentile, fmtMs(x.directMs), ...(proxy ? [fmtMs(x.proxyMs), fmtMs(x.proxyAddedMs)] : []), fmtMs(x.gatewayMs), fmtMs(x.gatewayAddedMs)]);
  const ratio = o.gatewayOverDirect === null ? '–' : o.gatewayOverDirect.toFixed(2);
  return `<h2>Gateway against direct</h2>${table(head, rows)}<p>Throughput gateway/direct <b>${ratio}</b>${proxy && o.proxyOverDirect !== null ? `, proxy/direct <b>${o.proxyOverDirect.toFixed(2)}</b>` : ''}.</p>`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}
