/**
 * Requests, errors and p99 over time. Recorded in 100 ms windows (each window's latency
 * histogram kept encoded), then coalesced at the end into at most ~120 windows of a round
 * width holding ten requests or more on average, so a two-second blast and a two-minute
 * trickle both draw a readable timeline.
 */
import type { TimelinePoint } from '../../shared/report/schema';
import { createHistogram, encodeHistogram, mergeEncoded, recordMicros } from './hdr';

const BASE_WINDOW_MS = 100;
const WIDTHS_MS = [100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];
const MAX_POINTS = 120;
/** Fewer requests than this per window make a comb of 0s and 1s, not a rate. */
const MIN_PER_WINDOW = 10;

interface Window {
  index: number;
  requests: number;
  errors: number;
  hdr: string | null;
}

export class TimelineRecorder {
  private readonly windows: Window[] = [];
  private readonly current = createHistogram();
  private index = 0;
  private requests = 0;
  private errors = 0;
  private startMs = 0;

  start(ms: number): void {
    this.startMs = ms;
  }

  record(endMs: number, latencyMs: number | null): void {
    const index = Math.max(0, Math.floor((endMs - this.startMs) / BASE_WINDOW_MS));
    if (index > this.index) {
      this.close();
      this.index = index;
    }
    this.requests++;
    if (latencyMs === null) this.errors++;
    else recordMicros(this.current, latencyMs);
  }

  private close(): void {
    if (this.requests > 0) {
      this.windows.push({ index: this.index, requests: this.requests, errors: this.errors, hdr: this.current.totalCount > 0 ? encodeHistogram(this.current) : null });
    }
    this.current.reset();
    this.requests = 0;
    this.errors = 0;
  }

  finish(): TimelinePoint[] {
    this.close();
    if (!this.windows.length) return [];
    const spanMs = (this.windows[this.windows.length - 1]!.index + 1) * BASE_WINDOW_MS;
    const total = this.windows.reduce((n, w) => n + w.requests, 0);
    const fits = (w: number) => spanMs / w <= MAX_POINTS;
    const dense = (w: number) => total / Math.ceil(spanMs / w) >= MIN_PER_WINDOW;
    const widthMs = WIDTHS_MS.find((w) => fits(w) && dense(w)) ?? WIDTHS_MS.find(fits) ?? WIDTHS_MS[WIDTHS_MS.length - 1]!;
    const per = widthMs / BASE_WINDOW_MS;
    const points: TimelinePoint[] = [];
    let group: Window[] = [];
    const flush = () => {
      if (!group.length) return;
      const slot = Math.floor(group[0]!.index / per);
      const merged = mergeEncoded(group.flatMap((w) => (w.hdr ? [w.hdr] : [])));
      const requests = group.reduce((s, w) => s + w.requests, 0);
      const windowSec = widthMs / 1000;
      points.push({
        tSec: slot * windowSec,
        windowSec,
        requests,
        errors: group.reduce((s, w) => s + w.errors, 0),
        requestsPerSecond: requests / windowSec,
        p99Ms: merged.totalCount > 0 ? merged.getValueAtPercentile(99) / 1000 : null,
      });
      group = [];
    };
    for (const w of this.windows) {
      if (group.length && Math.floor(group[0]!.index / per) !== Math.floor(w.index / per)) flush();
      group.push(w);
    }
    flush();
    return points;
  }
}
