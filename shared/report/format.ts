/** Number formatting shared by the terminal table, the HTML page and the charts. */

export function fmtMs(ms: number | null | undefined): string {
  if (!isFigure(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms > 0 && ms < 0.1) return `${Math.round(ms * 1000)} µs`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtInt(n: number | null | undefined): string {
  if (!isFigure(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

export function fmtRate(n: number | null | undefined): string {
  if (!isFigure(n)) return '–';
  return n >= 100 ? fmtInt(n) : n.toFixed(1);
}

export function fmtBytes(n: number | null | undefined): string {
  if (!isFigure(n)) return '–';
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function fmtPct(n: number | null | undefined, digits = 1): string {
  if (!isFigure(n)) return '–';
  return `${n >= 0 ? '+' : ''}${n.toFixed(digits)}%`;
}

/** CPU time per request, measured in microseconds, shown in milliseconds. */
export function fmtCpuMs(micros: number | null | undefined): string {
  if (!isFigure(micros)) return '–';
  return `${(micros / 1000).toFixed(3)} ms`;
}

/** A figure that was measured: null, undefined and non-finite values print as a dash. */
function isFigure(n: number | null | undefined): n is number {
  return n !== null && n !== undefined && Number.isFinite(n);
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
