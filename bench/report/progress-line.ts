/**
 * The live progress line: requests done, current rate, p99 so far. Rewritten in place on
 * a terminal; on a pipe (CI logs) one line every few seconds instead.
 */
import { fmtInt } from '../../shared/report/format';
import type { PhaseProgress } from '../generator/phase-spec';

const PIPE_EVERY_MS = 5000;

/** Where a run reports progress: a phase begins, advances, ends. */
export interface ProgressSink {
  begin(label: string, total: number | null): void;
  update(progress: PhaseProgress): void;
  end(): void;
}

export class ProgressLine implements ProgressSink {
  private label = '';
  private total: number | null = null;
  private lastPipeLine = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly enabled: boolean,
  ) {}

  begin(label: string, total: number | null): void {
    this.label = label;
    this.total = total;
    this.lastPipeLine = Date.now();
  }

  update(p: PhaseProgress): void {
    if (!this.enabled) return;
    const done = this.total ? `${fmtInt(p.completed)}/${fmtInt(this.total)}` : fmtInt(p.completed);
    const line = `${this.label}: ${done} done · ${fmtInt(Math.round(p.currentRate))} req/s · p99 ${p.p99Ms === null ? '–' : `${p.p99Ms.toFixed(1)} ms`} · errors ${fmtInt(p.errors)} · ${p.elapsedSec.toFixed(0)} s`;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${line}`);
      this.drawn = true;
    } else if (Date.now() - this.lastPipeLine >= PIPE_EVERY_MS) {
      this.out.write(`${line}\n`);
      this.lastPipeLine = Date.now();
    }
  }

  end(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
