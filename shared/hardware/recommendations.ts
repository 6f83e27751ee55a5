/**
 * The model recommendations for this machine, as every door sends them and the editor's
 * webview renders them. Browser-safe: TypeBox only.
 */
import { Type, type Static } from '@sinclair/typebox';
import { HardwareReport } from './hardware-report';

export const FitKind = Type.Union([Type.Literal('full-gpu'), Type.Literal('partial'), Type.Literal('cpu'), Type.Literal('none')]);
export type FitKind = Static<typeof FitKind>;

export const ModelRole = Type.Union([Type.Literal('completion'), Type.Literal('chat')]);
export type ModelRole = Static<typeof ModelRole>;

export const MemoryEstimate = Type.Object({
  weightsBytes: Type.Number(),
  kvCacheBytes: Type.Number(),
  overheadBytes: Type.Number(),
  totalBytes: Type.Number(),
  /** Where the weights figure came from: a published file size, or parameters × bits per weight. */
  weightsSource: Type.String(),
});
export type MemoryEstimate = Static<typeof MemoryEstimate>;

export const SpeedFigures = Type.Object({
  /** Decode tokens per second; an estimate is a range, a measurement has low = high. */
  low: Type.Number(),
  high: Type.Number(),
  /** Time to first token, ms: only measured, never estimated. */
  ttftMs: Type.Optional(Type.Number()),
  measured: Type.Boolean(),
  /** How it was found: the bandwidth and efficiency used, or the benchmark's date and scenario. */
  basis: Type.String(),
});
export type SpeedFigures = Static<typeof SpeedFigures>;

export const ModelEstimate = Type.Object({
  id: Type.String(),
  name: Type.String(),
  ollamaTag: Type.String(),
  roles: Type.Array(ModelRole),
  fim: Type.Boolean(),
  parametersB: Type.Number(),
  activeParametersB: Type.Optional(Type.Number()),
  license: Type.String(),
  /** A limit a user must know about (non-commercial, use restrictions); absent when none. */
  licenseLimit: Type.Optional(Type.String()),
  /** The name it has in a reachable Ollama, when it is installed there. */
  installedAs: Type.Optional(Type.String()),
  fit: FitKind,
  quant: Type.String(),
  contextTokens: Type.Integer(),
  memory: MemoryEstimate,
  /** The memory the fit was judged against (GPU budget, or RAM for CPU only), bytes. */
  availableBytes: Type.Number(),
  gpuLayers: Type.Integer(),
  totalLayers: Type.Integer(),
  /** As `ollama ps` shows it: "100% GPU", "100% CPU", "48%/52% CPU/GPU". */
  processor: Type.String(),
  speed: Type.Union([SpeedFigures, Type.Null()]),
  /** What was given up to make it fit: a lower quantization, a smaller context. */
  adjustments: Type.Array(Type.String()),
  why: Type.String(),
  source: Type.String(),
});
export type ModelEstimate = Static<typeof ModelEstimate>;

export const Recommendations = Type.Object({
  hardware: HardwareReport,
  /** The best fill-in-the-middle model for completions, and the best for chat; null when nothing fits. */
  completion: Type.Union([ModelEstimate, Type.Null()]),
  chat: Type.Union([ModelEstimate, Type.Null()]),
  alternates: Type.Object({ completion: Type.Array(ModelEstimate), chat: Type.Array(ModelEstimate) }),
  /** Every catalog model, ranked: what fits first, fastest usable first within a fit. */
  models: Type.Array(ModelEstimate),
  ollama: Type.Object({ reachable: Type.Boolean(), url: Type.String(), installed: Type.Array(Type.String()) }),
  notes: Type.Array(Type.String()),
});
export type Recommendations = Static<typeof Recommendations>;

/** One line of "Pull with Ollama" progress, as Ollama's `/api/pull` streams it. */
export const PullProgress = Type.Object({
  model: Type.String(),
  status: Type.String(),
  completedBytes: Type.Optional(Type.Number()),
  totalBytes: Type.Optional(Type.Number()),
  done: Type.Boolean(),
});
export type PullProgress = Static<typeof PullProgress>;

/** What a benchmark on this machine recorded for one model. */
export const MeasuredFigures = Type.Object({
  model: Type.String(),
  ttftMs: Type.Number(),
  tokensPerSecond: Type.Number(),
  measuredAt: Type.String(),
  scenario: Type.String(),
  requests: Type.Integer(),
});
export type MeasuredFigures = Static<typeof MeasuredFigures>;
