/**
 * The self-contained HTML report: summary tables, notes and every chart as inline SVG
 * (drawn by `shared/report/charts`, the same code the editor's webview uses), with the
 * report JSON embedded. Nothing is fetched to view it.
 */
import { escapeXml } from '../../shared/report/format';
import { banner, chartFigures, metaLine, notesList, overheadTable, phaseTable, summaryLines } from '../../shared/report/html-sections';
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
  const json = JSON.stringify(r).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(r.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeXml(r.title)}</h1>`,
    metaLine(r),
    banner(r),
    notesList(r),
    '<h2>Summary</h2>',
    phaseTable(r),
    overheadTable(r),
    summaryLines(r),
    '<h2>Charts</h2>',
    chartFigures(r),
    `<script type="application/json" id="switchyard-report">${json}</script>`,
    '</body></html>',
  ].join('\n');
}
