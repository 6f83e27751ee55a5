/**
 * The benchmark report: one JSON document that the terminal table, the HTML page and the
 * editor's webview all render. Schema-first (TypeBox) with its static types; see
 * the README's "Benchmarks" section for what every figure means. Only browser-safe imports here.
 */
import { Type, type Static } from '@sinclair/typebox';

export const REPORT_SCHEMA = 'switchyard.bench.report';
export const REPORT_VERSION = 1;

const Num = Type.Number();
const Int = Type.Integer({ minimum: 0 });
const NullableNum = Type.Union([Type.Number(), Type.Null()]);

export const LatencySummarySchema = Type.Object({
  count: Int,
  minMs: Num,
  meanMs: Num,
  p50Ms: Num,
  p90Ms: Num,
  p95Ms: Num,
  p99Ms: Num,
  p999Ms: Num,
  maxMs: Num,
});

export const DistributionSchema = Type.Object({
  summary: LatencySummarySchema,
  /** Value at percentile, for the percentile-curve chart. */
  curve: Type.Array(Type.Object({ percentile: Num, ms: Num })),
  /** Linear buckets from min to p99.9 (the last bucket holds the rest up to max). */
  buckets: Type.Array(Type.Object({ fromMs: Num, toMs: Num, count: Int })),
  /** HDR histogram of integer microseconds, `encodeIntoCompressedBase64` of hdr-histogram-js. */
  hdr: Type.String(),
});

export const LoadSchema = Type.Object({
  mode: Type.Union([Type.Literal('closed'), Type.Literal('open')]),
  concurrency: Type.Optional(Int),
  rate: Type.Optional(Num),
  arrivals: Type.Optional(Type.Union([Type.Literal('uniform'), Type.Literal('poisson')])),
  maxInFlight: Type.Optional(Int),
  requests: Type.Optional(Int),
  durationSec: Type.Optional(Num),
  stages: Type.Optional(Type.Array(Type.Object({ durationSec: Num, target: Num }))),
});

export const GeneratorHealthSchema = Type.Object({
  /** CPU time of the generator process over the phase, as a fraction of one core. */
  cpuFraction: Num,
  eventLoopDelayP99Ms: Num,
  eventLoopDelayMaxMs: Num,
  /** True when the generator, not the target, was the limit of this phase. */
  bound: Type.Boolean(),
  reasons: Type.Array(Type.String()),
});

export const ProcessFiguresSchema = Type.Object({
  rssIdleBytes: NullableNum,
  rssLoadBytes: NullableNum,
  /** CPU time (user + system) the process spent per completed request, microseconds. */
  cpuMicrosPerRequest: NullableNum,
});

export const ModelBreakdownSchema = Type.Object({
  model: Type.String(),
  requests: Int,
  fraction: Num,
  errors: Int,
  requestsPerSecond: Num,
  p50Ms: NullableNum,
  p99Ms: NullableNum,
});

export const TimelinePointSchema = Type.Object({
  /** Start of the window, seconds since the phase started. */
  tSec: Num,
  windowSec: Num,
  requests: Int,
  requestsPerSecond: Num,
  errors: Int,
  p99Ms: NullableNum,
});

/** Goodput's service-level objective: a request counts when it meets every limit given. */
export const GoodputSloSchema = Type.Object({ latencyMs: Type.Optional(Num), ttftMs: Type.Optional(Num), tpotMs: Type.Optional(Num) });

export const PhaseCountsSchema = Type.Object({
  scheduled: Int,
  sent: Int,
  completed: Int,
  ok: Int,
  errors: Int,
  /** Sent more than `lateThresholdMs` after their scheduled time (open loop). */
  late: Int,
  /** Never sent: waited longer than the drop limit for a free in-flight slot (open loop). */
  dropped: Int,
  /** Completed during warm-up, excluded from every figure. */
  warmup: Int,
});

export const PhaseSchema = Type.Object({
  name: Type.String(),
  label: Type.String(),
  role: Type.Union([Type.Literal('target'), Type.Literal('gateway'), Type.Literal('proxy'), Type.Literal('direct')]),
  targetUrl: Type.String(),
  models: Type.Array(Type.String()),
  stream: Type.Boolean(),
  load: LoadSchema,
  counts: PhaseCountsSchema,
  windowSec: Num,
  requestsPerSecond: Num,
  okPerSecond: Num,
  /** Open loop: sends per second achieved, against `load.rate`. */
  achievedRate: NullableNum,
  outputTokens: Int,
  outputTokensPerSecond: Num,
  errors: Type.Record(Type.String(), Int),
  latency: Type.Union([DistributionSchema, Type.Null()]),
  service: Type.Union([DistributionSchema, Type.Null()]),
  ttft: Type.Union([DistributionSchema, Type.Null()]),
  tpot: Type.Union([DistributionSchema, Type.Null()]),
  itl: Type.Union([DistributionSchema, Type.Null()]),
  goodput: Type.Union([
    Type.Object({
      slo: GoodputSloSchema,
      requests: Int,
      requestsPerSecond: Num,
      fraction: Num,
    }),
    Type.Null(),
  ]),
  timeline: Type.Array(TimelinePointSchema),
  byModel: Type.Array(ModelBreakdownSchema),
  generator: GeneratorHealthSchema,
  daemon: Type.Union([ProcessFiguresSchema, Type.Null()]),
  proxy: Type.Union([ProcessFiguresSchema, Type.Null()]),
  interrupted: Type.Boolean(),
});

export const SweepSchema = Type.Object({
  points: Type.Array(Type.Object({ concurrency: Int, phase: Type.String(), requestsPerSecond: Num, p50Ms: NullableNum, p99Ms: NullableNum })),
  ceiling: Type.Union([Type.Object({ concurrency: Int, requestsPerSecond: Num, p99Ms: NullableNum, reason: Type.String() }), Type.Null()]),
});

export const OverheadSchema = Type.Object({
  rounds: Int,
  rows: Type.Array(
    Type.Object({
      percentile: Type.String(),
      directMs: NullableNum,
      proxyMs: NullableNum,
      gatewayMs: NullableNum,
      proxyAddedMs: NullableNum,
      gatewayAddedMs: NullableNum,
    }),
  ),
  requestsPerSecond: Type.Object({ direct: NullableNum, proxy: NullableNum, gateway: NullableNum }),
  gatewayOverDirect: NullableNum,
  proxyOverDirect: NullableNum,
  gatewayCpuMicrosPerRequest: NullableNum,
  proxyCpuMicrosPerRequest: NullableNum,
  /**
   * Set when a phase had failed requests: the latency difference then measures the failures, not
   * the gateway, so no added latency or throughput ratio is given (they are null), and this says why.
   */
  refusedBecause: Type.Optional(Type.String()),
});

export const BaselineDiffSchema = Type.Object({
  baseline: Type.String(),
  current: Type.String(),
  rows: Type.Array(
    Type.Object({
      metric: Type.String(),
      unit: Type.String(),
      better: Type.Union([Type.Literal('higher'), Type.Literal('lower')]),
      baseline: Num,
      current: Num,
      changePct: Num,
      /** Run-to-run spread (percent) measured from repeated runs; null when neither side repeated. */
      noisePct: NullableNum,
      verdict: Type.Union([Type.Literal('regression'), Type.Literal('improvement'), Type.Literal('within-noise'), Type.Literal('noise-unknown')]),
    }),
  ),
  regressions: Int,
  improvements: Int,
});

export const RepeatsSchema = Type.Object({
  count: Int,
  /** Key figures of every run (see `keyFigures`). */
  runs: Type.Array(Type.Record(Type.String(), Num)),
  median: Type.Record(Type.String(), Num),
  /** (max − min) / median per key figure, percent: the measured run-to-run noise. */
  noisePct: Type.Record(Type.String(), Num),
});

export const BenchReportSchema = Type.Object({
  schema: Type.Literal(REPORT_SCHEMA),
  version: Type.Literal(REPORT_VERSION),
  createdAt: Type.String(),
  tool: Type.Object({ name: Type.String(), version: Type.String() }),
  host: Type.Object({
    platform: Type.String(),
    arch: Type.String(),
    cpus: Int,
    node: Type.String(),
    /** One-minute load average when the run started and ended: how busy the machine was. */
    loadAverageAtStart: Type.Optional(Num),
    loadAverageAtEnd: Type.Optional(Num),
  }),
  title: Type.String(),
  scenario: Type.String(),
  preset: Type.Union([Type.String(), Type.Null()]),
  command: Type.String(),
  settings: Type.Record(Type.String(), Type.Unknown()),
  status: Type.Union([Type.Literal('complete'), Type.Literal('interrupted')]),
  /** True when no request of any phase succeeded. */
  allFailed: Type.Boolean(),
  generatorBound: Type.Boolean(),
  /** Plain sentences a reader must see: failures, generator-bound phases, targets missed. */
  notes: Type.Array(Type.String()),
  phases: Type.Array(PhaseSchema),
  sweep: Type.Union([SweepSchema, Type.Null()]),
  overhead: Type.Union([OverheadSchema, Type.Null()]),
  daemon: Type.Union([ProcessFiguresSchema, Type.Null()]),
  repeats: Type.Union([RepeatsSchema, Type.Null()]),
  baselineDiff: Type.Union([BaselineDiffSchema, Type.Null()]),
});

export type LatencySummary = Static<typeof LatencySummarySchema>;
export type Distribution = Static<typeof DistributionSchema>;
export type LoadSpec = Static<typeof LoadSchema>;
export type GeneratorHealth = Static<typeof GeneratorHealthSchema>;
export type ProcessFigures = Static<typeof ProcessFiguresSchema>;
export type ModelBreakdown = Static<typeof ModelBreakdownSchema>;
export type TimelinePoint = Static<typeof TimelinePointSchema>;
export type GoodputSlo = Static<typeof GoodputSloSchema>;
export type PhaseCounts = Static<typeof PhaseCountsSchema>;
export type PhaseReport = Static<typeof PhaseSchema>;
export type SweepResult = Static<typeof SweepSchema>;
export type OverheadResult = Static<typeof OverheadSchema>;
export type BaselineDiff = Static<typeof BaselineDiffSchema>;
export type RepeatsResult = Static<typeof RepeatsSchema>;
export type BenchReport = Static<typeof BenchReportSchema>;
