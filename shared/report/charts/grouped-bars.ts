/** Grouped vertical bars: a few series over a few categories (used by overhead, compare and the mix). */
import { escapeXml } from '../format';
import { innerWidth, legend, linear, niceMax, niceTicks, PALETTE, plot, rect, svgDocument, text, xAxis, yAxis } from './svg-kit';

export interface BarSeries {
  label: string;
  values: (number | null)[];
  color?: string;
}

export function groupedBarsChart(id: string, title: string, categories: string[], series: BarSeries[], format: (v: number) => string, axisLabel: string): string {
  const p = plot(640, 300);
  const all = series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = niceMax(Math.max(0, ...all));
  const y = linear([0, max], [p.height - p.bottom, p.top]);
  const groupWidth = innerWidth(p) / Math.max(1, categories.length);
  const barWidth = Math.min(48, (groupWidth * 0.8) / Math.max(1, series.length));
  const body = [yAxis(p, niceTicks(0, max, 4), y, format, 'left', axisLabel)];
  categories.forEach((_, ci) => {
    const start = p.left + ci * groupWidth + (groupWidth - barWidth * series.length) / 2;
    series.forEach((s, si) => {
      const v = s.values[ci];
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const top = y(Math.min(v, max));
      const color = s.color ?? PALETTE[si % PALETTE.length]!;
      body.push(rect(start + si * barWidth + 1, top, barWidth - 2, p.height - p.bottom - top, color, ` data-series="${escapeXml(s.label)}"`));
      if (series.length * categories.length <= 24) body.push(text(start + si * barWidth + barWidth / 2, top - 3, format(v), { anchor: 'middle', size: 9 }));
    });
  });
  body.push(xAxis(p, categories.map((c, ci) => ({ at: p.left + ci * groupWidth + groupWidth / 2, label: c }))));
  body.push(legend(p, series.map((s, si) => ({ label: s.label, color: s.color ?? PALETTE[si % PALETTE.length]! }))));
  return svgDocument(p, title, body, id);
}
