/**
 * The small drawing kit the charts share: scales, ticks, axes, legend. Strings in, SVG
 * strings out; no DOM and no Node APIs, so the editor's webview can run it too.
 */
import { escapeXml } from '../format';

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
export const INK = '#1f2937';
export const GRID = '#e5e7eb';
export const MUTED = '#6b7280';

export interface Plot {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function plot(width = 640, height = 300, margins: Partial<Pick<Plot, 'left' | 'right' | 'top' | 'bottom'>> = {}): Plot {
  return { width, height, left: margins.left ?? 64, right: margins.right ?? 24, top: margins.top ?? 52, bottom: margins.bottom ?? 44 };
}

export const innerWidth = (p: Plot) => p.width - p.left - p.right;
export const innerHeight = (p: Plot) => p.height - p.top - p.bottom;

export type Scale = (v: number) => number;

export function linear(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const span = d1 - d0 || 1;
  return (v) => range[0] + ((v - d0) / span) * (range[1] - range[0]);
}

/** Round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (max <= min) max = min + 1;
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

/** The top of a y axis starting at 0: the first nice tick at or above `max`. */
export function niceMax(max: number): number {
  const top = max > 0 ? max : 1;
  const ticks = niceTicks(0, top);
  const last = ticks[ticks.length - 1]!;
  return last >= top ? last : last + (ticks[1] ?? last);
}

export function svgDocument(p: Plot, title: string, body: string[], id: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${p.width} ${p.height}" width="${p.width}" height="${p.height}" role="img" aria-label="${escapeXml(title)}" data-chart="${escapeXml(id)}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${p.width}" height="${p.height}" fill="#ffffff"/>`,
    text(16, 20, title, { weight: 600, size: 13 }),
    ...body,
    '</svg>',
  ].join('');
}

export function text(x: number, y: number, content: string, o: { anchor?: 'start' | 'middle' | 'end'; color?: string; size?: number; weight?: number; rotate?: number } = {}): string {
  const rotate = o.rotate ? ` transform="rotate(${o.rotate} ${r(x)} ${r(y)})"` : '';
  return `<text x="${r(x)}" y="${r(y)}" text-anchor="${o.anchor ?? 'start'}" fill="${o.color ?? INK}"${o.size ? ` font-size="${o.size}"` : ''}${o.weight ? ` font-weight="${o.weight}"` : ''}${rotate}>${escapeXml(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, color = GRID, width = 1, dash?: string): string {
  return `<line x1="${r(x1)}" y1="${r(y1)}" x2="${r(x2)}" y2="${r(y2)}" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
}

export function rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): string {
  return `<rect x="${r(x)}" y="${r(y)}" width="${r(Math.max(0, w))}" height="${r(Math.max(0, h))}" fill="${fill}"${extra}/>`;
}

export function polyline(points: [number, number][], color: string, width = 2, dash?: string): string {
  if (!points.length) return '';
  const d = points.map(([x, y], i) => `${i ? 'L' : 'M'}${r(x)},${r(y)}`).join('');
  return `<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''} stroke-linejoin="round"/>`;
}

export function dots(points: [number, number][], color: string, radius = 3): string {
  return points.map(([x, y]) => `<circle cx="${r(x)}" cy="${r(y)}" r="${radius}" fill="${color}"/>`).join('');
}

/** Horizontal grid lines with labels on the left (or right) of the plot. */
export function yAxis(p: Plot, ticks: number[], scale: Scale, format: (v: number) => string, side: 'left' | 'right' = 'left', label?: string, color = MUTED): string {
  const out: string[] = [];
  for (const t of ticks) {
    const y = scale(t);
    if (y < p.top - 1) continue; // a tick above the axis's top would land on the legend
    if (side === 'left') out.push(line(p.left, y, p.width - p.right, y));
    const x = side === 'left' ? p.left - 6 : p.width - p.right + 6;
    out.push(text(x, y + 4, format(t), { anchor: side === 'left' ? 'end' : 'start', color }));
  }
  if (label) {
    const x = side === 'left' ? 14 : p.width - 8;
    out.push(text(x, p.top + innerHeight(p) / 2, label, { anchor: 'middle', color, rotate: -90 }));
  }
  return out.join('');
}

export function xAxis(p: Plot, ticks: { at: number; label: string }[], label?: string): string {
  const base = p.height - p.bottom;
  const out = [line(p.left, base, p.width - p.right, base, MUTED)];
  for (const t of ticks) {
    out.push(line(t.at, base, t.at, base + 4, MUTED));
    out.push(text(t.at, base + 16, t.label, { anchor: 'middle', color: MUTED }));
  }
  if (label) out.push(text(p.left + innerWidth(p) / 2, p.height - 8, label, { anchor: 'middle', color: MUTED }));
  return out.join('');
}

/** One row of legend under the title (the plot's top margin leaves room for it). */
export function legend(p: Plot, items: { label: string; color: string; dash?: boolean }[]): string {
  let x = p.left;
  const y = 36;
  const out: string[] = [];
  for (const item of items) {
    const label = item.label.length > 40 ? `${item.label.slice(0, 39)}…` : item.label;
    const w = label.length * 6 + 30;
    if (x + w > p.width - 4) break;
    out.push(item.dash ? line(x, y - 4, x + 14, y - 4, item.color, 2, '4 3') : rect(x, y - 9, 14, 10, item.color));
    out.push(text(x + 18, y, label, { color: INK }));
    x += w;
  }
  return out.join('');
}

/** A chart with nothing to draw says so, rather than drawing empty axes. */
export function emptyChart(id: string, title: string, why: string): string {
  const p = plot(640, 120);
  return svgDocument(p, title, [text(p.width / 2, 70, why, { anchor: 'middle', color: MUTED, size: 13 })], id);
}

function r(v: number): string {
  return Number.isFinite(v) ? (Math.round(v * 10) / 10).toString() : '0';
}
