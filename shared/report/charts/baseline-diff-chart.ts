/** The baseline diff: change per figure as horizontal bars, the measured noise as a grey band. */
import { fmtPct } from '../format';
import type { BaselineDiff } from '../schema';
import { emptyChart, line, linear, MUTED, plot, rect, svgDocument, text } from './svg-kit';

const VERDICT_COLORS = { regression: '#dc2626', improvement: '#16a34a', 'within-noise': '#9ca3af', 'noise-unknown': '#60a5fa' };

export function baselineDiffChart(diff: BaselineDiff, id = 'baseline'): string {
  const title = `Against the baseline (${diff.baseline}): ${diff.regressions} regression(s), ${diff.improvements} improvement(s) beyond noise`;
  const rows = diff.rows.slice(0, 24);
  if (!rows.length) return emptyChart(id, title, 'No figures in common with the baseline.');
  const rowHeight = 20;
  const p = plot(720, 60 + rows.length * rowHeight + 30, { left: 250, right: 70, top: 40 });
  const limit = Math.max(5, ...rows.map((r) => Math.min(100, Math.abs(r.changePct))), ...rows.map((r) => r.noisePct ?? 0));
  const x = linear([-limit, limit], [p.left, p.width - p.right]);
  const body: string[] = [];
  rows.forEach((row, i) => {
    const y = p.top + i * rowHeight;
    if (row.noisePct !== null) body.push(rect(x(-row.noisePct), y + 1, x(row.noisePct) - x(-row.noisePct), rowHeight - 2, '#f3f4f6'));
    const change = Math.max(-limit, Math.min(limit, row.changePct));
    const from = x(Math.min(0, change));
    body.push(rect(from, y + 5, Math.abs(x(change) - x(0)), rowHeight - 10, VERDICT_COLORS[row.verdict]));
    body.push(text(p.left - 8, y + 14, row.metric, { anchor: 'end', size: 10 }));
    body.push(text(p.width - p.right + 6, y + 14, `${fmtPct(row.changePct)} ${row.verdict === 'regression' ? '▲' : ''}`, { size: 10, color: VERDICT_COLORS[row.verdict] }));
  });
  const bottom = p.top + rows.length * rowHeight;
  body.push(line(x(0), p.top - 4, x(0), bottom, MUTED));
  for (const t of [-limit, -limit / 2, 0, limit / 2, limit]) body.push(text(x(t), bottom + 14, fmtPct(t, 0), { anchor: 'middle', color: MUTED, size: 10 }));
  body.push(text(16, bottom + 30, 'grey band: run-to-run noise; red: regression beyond noise; green: improvement; blue: noise not measured', { color: MUTED, size: 10 }));
  return svgDocument(p, title, body, id);
}
