/**
 * Turns request outcomes into the figures of one phase, inside the generator process:
 * HDR histograms (latency from the schedule, service time from the send, TTFT, time per
 * output token, inter-token gaps), counts, errors by kind, a per-second timeline and a
 * per-model split. `finish()` returns a plain object that crosses the process boundary.
 */
import type { GoodputSlo, PhaseCounts, TimelinePoint } from '../../shared/report/schema';
import { createHistogram, encodeHistogram, recordMicros, type Histogram } from '../metrics/hdr';
import { TimelineRecorder } from '../metrics/timeline';
import type { RequestOutcome } from './send-request';

export interface RawPhaseResult {
  counts: PhaseCounts;
  errors: Record<string, number>;
  outputTokens: number;
  /** First send to last end, ms. */
  windowMs: number;
  /** First to last send, ms (open loop's achieved rate). */
  sendSpanMs: number;
  hdr: { latency: string | null; service: string | null; ttft: string | null; tpot: string | null; itl: string | null };
  byModel: { requests: number; errors: number; hdr: string | null }[];
  timeline: TimelinePoint[];
  goodputRequests: number | null;
  interrupted: boolean;
}

export class PhaseRecorder {
  readonly latency = createHistogram();
  private readonly service = createHistogram();
  private readonly ttft = createHistogram();
  private readonly tpot = createHistogram();
  private readonly itl = createHistogram();
  private readonly models: { requests: number; errors: number; latency: Histogram }[];
  private readonly counts: PhaseCounts = { scheduled: 0, sent: 0, completed: 0, ok: 0, errors: 0, late: 0, dropped: 0, warmup: 0 };
  private readonly errors: Record<string, number> = {};
  private readonly timeline = new TimelineRecorder();
  private outputTokens = 0;
  private firstSendMs = Infinity;
  private lastSendMs = -Infinity;
  private lastEndMs = -Infinity;
  private goodput = 0;

  constructor(
    modelCount: number,
    private readonly lateThresholdMs: number,
    private readonly slo: GoodputSlo | null,
  ) {
    this.models = Array.from({ length: modelCount }, () => ({ requests: 0, errors: 0, latency: createHistogram() }));
  }

  get completed(): number {
    return this.counts.completed;
  }
  get failed(): number {
    return this.counts.errors;
  }

  scheduled(): void {
    this.counts.scheduled++;
  }

  dropped(): void {
    this.counts.dropped++;
  }

  sent(scheduledMs: number, sendMs: number): void {
    this.counts.sent++;
    if (sendMs - scheduledMs > this.lateThresholdMs) this.counts.late++;
    if (sendMs < this.firstSendMs) this.firstSendMs = sendMs;
    if (sendMs > this.lastSendMs) this.lastSendMs = sendMs;
  }

  record(o: RequestOutcome): void {
    if (o.error === 'cancelled') return;
    this.counts.completed++;
    if (o.endMs > this.lastEndMs) this.lastEndMs = o.endMs;
    const model = this.models[o.modelIndex]!;
    model.requests++;
    if (o.error) {
      this.timeline.record(o.endMs, null);
      this.counts.errors++;
      model.errors++;
      this.errors[o.error] = (this.errors[o.error] ?? 0) + 1;
      return;
    }
    this.counts.ok++;
    const latencyMs = o.endMs - o.scheduledMs;
    recordMicros(this.latency, latencyMs);
    this.timeline.record(o.endMs, latencyMs);
    recordMicros(model.latency, latencyMs);
    recordMicros(this.service, o.endMs - o.sendMs);
    this.outputTokens += o.outputTokens;
    let ttftMs = NaN;
    let tpotMs = NaN;
    if (o.gapsUs) {
      if (!Number.isNaN(o.firstChunkMs)) {
        ttftMs = o.firstChunkMs - o.sendMs;
        recordMicros(this.ttft, ttftMs);
      }
      if (o.outputTokens > 1 && !Number.isNaN(o.lastChunkMs)) {
        tpotMs = (o.lastChunkMs - o.firstChunkMs) / (o.outputTokens - 1);
        recordMicros(this.tpot, tpotMs);
      }
      for (const gap of o.gapsUs) this.itl.recordValue(Math.max(1, gap));
    }
    if (this.slo && meetsSlo(this.slo, latencyMs, ttftMs, tpotMs)) this.goodput++;
  }

  /** Phase start in the generator's clock; the timeline counts from here. */
  startAt(ms: number): void {
    this.timeline.start(ms);
  }

  finish(interrupted: boolean): RawPhaseResult {
    const enc = (h: Histogram) => (h.totalCount > 0 ? encodeHistogram(h) : null);
    const sent = Number.isFinite(this.firstSendMs);
    return {
      counts: { ...this.counts },
      errors: { ...this.errors },
      outputTokens: this.outputTokens,
      windowMs: sent && this.lastEndMs > this.firstSendMs ? this.lastEndMs - this.firstSendMs : 0,
      sendSpanMs: sent ? this.lastSendMs - this.firstSendMs : 0,
      hdr: { latency: enc(this.latency), service: enc(this.service), ttft: enc(this.ttft), tpot: enc(this.tpot), itl: enc(this.itl) },
      byModel: this.models.map((m) => ({ requests: m.requests, errors: m.errors, hdr: enc(m.latency) })),
      timeline: this.timeline.finish(),
      goodputRequests: this.slo ? this.goodput : null,
      interrupted,
    };
  }
}

function meetsSlo(slo: GoodputSlo, latencyMs: number, ttftMs: number, tpotMs: number): boolean {
  if (slo.latencyMs !== undefined && !(latencyMs <= slo.latencyMs)) return false;
  if (slo.ttftMs !== undefined && !(ttftMs <= slo.ttftMs)) return false;
  if (slo.tpotMs !== undefined && !(tpotMs <= slo.tpotMs)) return false;
  return true;
}
