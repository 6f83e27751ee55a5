/**
 * The generator's side of the IPC channel: runs phases on request from the orchestrator,
 * streams progress, returns results. It never shares an event loop with the target.
 */
import type { PhaseSpec } from './phase-spec';
import { runPhase } from './run-phase';

export type ToGenerator = { type: 'run'; id: number; spec: PhaseSpec } | { type: 'stop' };
export type FromGenerator =
  | { type: 'ready' }
  | { type: 'progress'; id: number; progress: import('./phase-spec').PhaseProgress }
  | { type: 'result'; id: number; outcome: import('./phase-spec').PhaseOutcome }
  | { type: 'failed'; id: number; message: string };

export function serveGenerator(): void {
  const send = (m: FromGenerator) => process.send?.(m);
  let current: AbortController | null = null;
  // Ctrl-C reaches the whole process group; the orchestrator decides, via 'stop'.
  process.on('SIGINT', () => undefined);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ToGenerator) => {
    if (message.type === 'stop') {
      current?.abort();
      return;
    }
    const controller = new AbortController();
    current = controller;
    runPhase(message.spec, {
      signal: controller.signal,
      onProgress: (progress) => send({ type: 'progress', id: message.id, progress }),
    })
      .then((outcome) => send({ type: 'result', id: message.id, outcome }))
      .catch((err: unknown) => send({ type: 'failed', id: message.id, message: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        if (current === controller) current = null;
      });
  });
  send({ type: 'ready' });
}
