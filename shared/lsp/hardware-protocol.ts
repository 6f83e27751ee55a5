/**
 * The editor's hardware messages, defined once for the extension and the daemon's LSP door,
 * in the same `namespace X { method; type }` form as `shared/lsp/protocol.ts`.
 * Long requests (pull, benchmark) report `$/progress` on the client's `workDoneToken` and
 * honour `$/cancelRequest`.
 */
import { RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { HardwareReport } from '../hardware/hardware-report';
import type { MeasuredFigures, PullProgress, Recommendations } from '../hardware/recommendations';

/** Client → daemon: what was detected on this machine, each figure with its source. */
export namespace GetHardwareRequest {
  export const method = 'switchyard/hardware' as const;
  export const type = new RequestType0<HardwareReport, void>(method);
}

/** Client → daemon: the recommendations (best completion and chat models, alternates, the ranked table). */
export namespace GetRecommendationsRequest {
  export const method = 'switchyard/recommendations' as const;
  export const type = new RequestType0<Recommendations, void>(method);
}

export interface ModelActionParams {
  /** An Ollama tag or catalog id (`qwen2.5-coder:1.5b`), or `provider/model` for a benchmark. */
  model: string;
  /** The `$/progress` token the client created (work-done progress). */
  workDoneToken?: string | number;
}

/** Client → daemon: "Pull with Ollama"; progress as `$/progress` reports, the last progress as the answer. */
export namespace PullModelRequest {
  export const method = 'switchyard/pullModel' as const;
  export const type = new RequestType<ModelActionParams, PullProgress, void>(method);
}

/**
 * Client → daemon: "Benchmark on this machine": a `switchyard bench` process against the
 * model's local provider; answers with the measured figures and the updated recommendations,
 * which then show them in place of the estimate.
 */
export namespace BenchmarkModelRequest {
  export const method = 'switchyard/benchmarkModel' as const;
  export const type = new RequestType<ModelActionParams, { measured: MeasuredFigures; recommendations: Recommendations }, void>(method);
}
