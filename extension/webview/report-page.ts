/**
 * The benchmark report as an HTML page, from the report JSON, with the same sections and
 * charts as the CLI's HTML report (`shared/report/`). Two forms:
 * - `webview`: theme colours from VS Code's CSS variables, the buttons, a strict CSP with a nonce;
 * - `standalone`: the file "Save HTML" writes; the same page with the variables' light fallbacks, no script.
 */
import { escapeXml } from '../../shared/report/format';
import { banner, baselineTable, chartFigures, metaLine, notesList, overheadTable, phaseTable, summaryLines } from '../../shared/report/html-sections';
import type { BenchReport } from '../../shared/report/schema';
import { webviewCsp } from './webview-csp';

export type ReportPageMode =
  | { kind: 'webview'; nonce: string; cspSource: string; scriptUri: string; codiconCssUri: string }
  | { kind: 'standalone' };

/** The page's buttons; the webview script posts `{ action }` back to the extension. */
export const REPORT_ACTIONS = [
  { action: 'saveJson', label: 'Save JSON', icon: 'save' },
  { action: 'saveHtml', label: 'Save HTML', icon: 'file-code' },
  { action: 'setBaseline', label: 'Set as baseline', icon: 'pin' },
  { action: 'runAgain', label: 'Run again', icon: 'debug-rerun' },
] as const;

export type ReportAction = (typeof REPORT_ACTIONS)[number]['action'];

export function isReportAction(value: unknown): value is ReportAction {
  return REPORT_ACTIONS.some((a) => a.action === value);
}

// Charts draw on a light canvas with fixed colours; in the webview their background and text
// follow the theme (CSS wins over SVG presentation attributes), the series colours stay.
const STYLE = `
body{font-family:var(--vscode-font-family,system-ui,sans-serif);font-size:var(--vscode-font-size,13px);line-height:1.45;color:var(--vscode-foreground,#1f2937);background:var(--vscode-editor-background,#fff);margin:16px auto;max-width:1100px;padding:0 16px}
h1{font-size:1.5em;margin:0 0 4px;font-weight:600}h2{font-size:1.15em;margin:24px 0 8px;font-weight:600}
.meta{color:var(--vscode-descriptionForeground,#6b7280);font-size:.9em}
.actions{display:flex;gap:8px;flex-wrap:wrap;margin:12px 0}
table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;white-space:nowrap;border-bottom:1px solid var(--vscode-editorWidget-border,#e5e7eb);text-align:right}
th:first-child,td:first-child{text-align:left}
th{font-weight:600;background:var(--vscode-editorWidget-background,#f9fafb)}
.banner{padding:8px 12px;border-radius:4px;margin:12px 0;font-weight:600;border-left:4px solid}
.bad{border-color:var(--vscode-errorForeground,#b91c1c);background:var(--vscode-inputValidation-errorBackground,#fee2e2)}
.warn{border-color:var(--vscode-editorWarning-foreground,#b45309);background:var(--vscode-inputValidation-warningBackground,#fef3c7)}
.ok{border-color:var(--vscode-testing-iconPassed,#15803d);background:var(--vscode-editorWidget-background,#dcfce7)}
figure{margin:16px 0;border:1px solid var(--vscode-editorWidget-border,#e5e7eb);border-radius:4px;padding:8px;overflow-x:auto}
svg{max-width:100%;height:auto}
svg>rect:first-of-type{fill:var(--vscode-editor-background,#fff)}
svg text{fill:var(--vscode-foreground,#1f2937)}
ul.notes li{margin:2px 0}
.refused{color:var(--vscode-errorForeground,#b91c1c)}
`;

export function renderReportPage(report: BenchReport, mode: ReportPageMode): string {
  const head = ['<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">'];
  if (mode.kind === 'webview') {
    head.push(
      `<meta http-equiv="Content-Security-Policy" content="${escapeXml(webviewCsp(mode.cspSource, mode.nonce))}">`,
      // vscode-elements finds the codicon font through a stylesheet link with this id.
      `<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeXml(mode.codiconCssUri)}">`,
      `<style nonce="${escapeXml(mode.nonce)}">${STYLE}</style>`,
    );
  } else {
    head.push(`<style>${STYLE}</style>`);
  }
  head.push(`<title>${escapeXml(report.title)}</title></head><body>`);
  return [
    ...head,
    `<h1>${escapeXml(report.title)}</h1>`,
    metaLine(report),
    mode.kind === 'webview' ? actionBar() : '',
    banner(report),
    notesList(report),
    '<h2>Percentiles</h2>',
    phaseTable(report),
    overheadTable(report),
    summaryLines(report),
    report.baselineDiff ? baselineTable(report.baselineDiff) : '',
    '<h2>Charts</h2>',
    chartFigures(report),
    mode.kind === 'webview' ? `<script nonce="${escapeXml(mode.nonce)}" src="${escapeXml(mode.scriptUri)}"></script>` : '',
    '</body></html>',
  ].join('\n');
}

function actionBar(): string {
  const buttons = REPORT_ACTIONS.map((a) => `<vscode-button data-action="${a.action}" icon="${a.icon}" secondary>${escapeXml(a.label)}</vscode-button>`);
  return `<div class="actions">${buttons.join('')}</div>`;
}
