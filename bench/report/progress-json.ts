/**
 * Progress as one JSON line per update (`--progress-json`), for a host process that shows it
 * elsewhere: the daemon turns these lines into the editor's `$/progress`.
 */
import type { PhaseProgress } from '../generator/phase-spec';
import type { ProgressSink } from './progress-line';

/** One line: `{"progress":{...}}`. */
export interface ProgressJsonLine {
  progress: { phase: string; total: number | null } & Partial<PhaseProgress> & { state: 'begin' | 'update' | 'end' };
}

export class ProgressJsonLines implements ProgressSink {
  private phase = '';
  private total: number | null = null;

  constructor(private readonly out: NodeJS.WritableStream) {}

  begin(label: string, total: number | null): void {
    this.phase = label;
    this.total = total;
    this.write({ progress: { phase: label, total, state: 'begin' } });
  }

  update(p: PhaseProgress): void {
    this.write({ progress: { phase: this.phase, total: this.total, state: 'update', ...p } });
  }

  end(): void {
    this.write({ progress: { phase: this.phase, total: this.total, state: 'end' } });
  }

  private write(line: ProgressJsonLine): void {
    this.out.write(`${JSON.stringify(line)}\n`);
  }
}
