/** The orchestrator's handle on the generator process: run a phase, stop, close. */
import { fork, type ChildProcess } from 'node:child_process';
import type { FromGenerator, ToGenerator } from './generator-process';
import type { PhaseOutcome, PhaseProgress, PhaseSpec } from './phase-spec';
import { resolveWorkerEntry } from './worker-entry';

export class GeneratorClient {
  private nextId = 1;
  private closed = false;
  private readonly pending = new Map<number, { resolve(o: PhaseOutcome): void; reject(e: Error): void; onProgress(p: PhaseProgress): void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FromGenerator) => this.onMessage(m));
    child.on('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`generator process exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  static async start(): Promise<GeneratorClient> {
    const entry = resolveWorkerEntry();
    const child = fork(entry.file, ['generator'], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromGenerator) => {
        if (m.type === 'ready') {
          child.off('exit', onExit);
          child.off('message', onMessage);
          resolve();
        }
      };
      const onExit = (code: number | null) => reject(new Error(`generator process failed to start (exit ${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
    return new GeneratorClient(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  runPhase(spec: PhaseSpec, onProgress: (p: PhaseProgress) => void = () => undefined): Promise<PhaseOutcome> {
    const id = this.nextId++;
    return new Promise<PhaseOutcome>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.post({ type: 'run', id, spec });
    });
  }

  /** Stops the running phase; it still resolves, with what ran (interrupted). */
  stop(): void {
    this.post({ type: 'stop' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }

  private post(message: ToGenerator): void {
    if (this.child.connected) this.child.send(message);
  }

  private onMessage(m: FromGenerator): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') return p.onProgress(m.progress);
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.outcome);
    else p.reject(new Error(m.message));
  }
}
