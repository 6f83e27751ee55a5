/**
 * The hardware requests for the daemon's LSP door to register: each calls the hardware
 * service, turns the LSP cancellation token into an AbortSignal, and reports progress on the
 * client's work-done token. Errors go through the door's own mapper (GatewayError →
 * ResponseError), so they are mapped once, there.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { BenchmarkModelRequest, GetHardwareRequest, GetRecommendationsRequest, PullModelRequest, type ModelActionParams } from '../../shared/lsp/hardware-protocol';
import type { MeasuredFigures, PullProgress, Recommendations } from '../../shared/hardware/recommendations';
import type { HardwareService } from './hardware-service';

export type LspErrorMapper = (error: unknown) => unknown;

export function signalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

export function registerHardwareHandlers(connection: Connection, hardware: HardwareService, mapError: LspErrorMapper): void {
  const guarded =
    <A extends unknown[], R>(handler: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await handler(...args);
      } catch (error) {
        throw mapError(error);
      }
    };

  connection.onRequest(GetHardwareRequest.type, guarded((token: CancellationToken) => hardware.hardware(signalOf(token))));
  connection.onRequest(GetRecommendationsRequest.type, guarded((token: CancellationToken) => hardware.recommendations(signalOf(token))));

  connection.onRequest(
    PullModelRequest.type,
    guarded(async (params: ModelActionParams, token: CancellationToken): Promise<PullProgress> => {
      const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
      workDone.begin(`Pulling ${params.model}`, 0, 'starting', true);
      try {
        return await hardware.pull(params.model, signalOf(token), (progress) => {
          const percent = progress.totalBytes ? Math.round(((progress.completedBytes ?? 0) / progress.totalBytes) * 100) : undefined;
          workDone.report(percent ?? 0, progress.status);
        });
      } finally {
        workDone.done();
      }
    }),
  );

  connection.onRequest(
    BenchmarkModelRequest.type,
    guarded(async (params: ModelActionParams, token: CancellationToken): Promise<{ measured: MeasuredFigures; recommendations: Recommendations }> => {
      const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
      workDone.begin(`Benchmarking ${params.model}`, undefined, 'starting', true);
      try {
        return await hardware.benchmark(params.model, signalOf(token), (message) => workDone.report(message));
      } finally {
        workDone.done();
      }
    }),
  );
}
