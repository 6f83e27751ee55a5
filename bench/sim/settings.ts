import { FAULT_KINDS, SIM_DEFAULTS, type FaultKind, type SimulatorOptions } from './contract';
import { checkLatencySpec, latencySampler, type LatencySampler } from './latency';
import { createRandom, type Random } from './random';

/** SimulatorOptions checked once and turned into what the hot path reads. */
export interface SimSettings {
  readonly options: Readonly<SimulatorOptions>;
  readonly latency: LatencySampler | undefined;
  readonly ttft: LatencySampler | undefined;
  readonly tokensPerSecond: number;
  readonly outputTokens: { readonly min: number; readonly max: number };
  readonly errorRate: number;
  readonly errorKinds: readonly FaultKind[];
  readonly retryAfterSeconds: number;
  /** 0 = unbounded. */
  readonly capacity: number;
  readonly seed: number;
  readonly models: readonly string[];
  readonly apiKey: string | undefined;
  /** undefined = keep connections open (normal keep-alive). */
  readonly closeAfterResponseMs: number | undefined;
  /** The seeded stream for per-arrival choices (latency draws, faults). Output text does not use it. */
  readonly random: Random;
}

const DEFAULT_ERROR_KINDS: FaultKind[] = ['http500', 'http503', 'http429'];

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Lists everything wrong with `options`, so a bad config fails once with every reason. */
export function checkOptions(options: SimulatorOptions): string[] {
  const problems: string[] = [];
  const { port, tokensPerSecond, outputTokens, errorRate, errorKinds, retryAfterSeconds, capacity, seed, models, closeAfterResponseMs } = options;
  if (port !== undefined && !(isCount(port) && port <= 65535)) problems.push(`port must be an integer 0..65535, got ${String(port)}`);
  for (const [name, spec] of [['latencyMs', options.latencyMs], ['ttftMs', options.ttftMs]] as const) {
    const problem = checkLatencySpec(name, spec);
    if (problem) problems.push(problem);
  }
  if (tokensPerSecond !== undefined && !(Number.isFinite(tokensPerSecond) && tokensPerSecond >= 0)) {
    problems.push(`tokensPerSecond must be a number >= 0, got ${String(tokensPerSecond)}`);
  }
  if (outputTokens !== undefined) {
    const ok = typeof outputTokens === 'number'
      ? isCount(outputTokens)
      : isCount(outputTokens.min) && isCount(outputTokens.max) && outputTokens.min <= outputTokens.max;
    if (!ok) problems.push(`outputTokens must be an integer >= 0 or {min, max} with 0 <= min <= max, got ${JSON.stringify(outputTokens)}`);
  }
  if (errorRate !== undefined && !(typeof errorRate === 'number' && errorRate >= 0 && errorRate <= 1)) {
    problems.push(`errorRate must be between 0 and 1, got ${String(errorRate)}`);
  }
  if (errorKinds !== undefined) {
    const unknown = errorKinds.filter((kind) => !FAULT_KINDS.includes(kind));
    if (unknown.length > 0 || errorKinds.length === 0) {
      problems.push(`errorKinds must be a non-empty list of ${FAULT_KINDS.join(', ')}; got ${JSON.stringify(errorKinds)}`);
    }
  }
  if (retryAfterSeconds !== undefined && !isCount(retryAfterSeconds)) problems.push(`retryAfterSeconds must be an integer >= 0, got ${String(retryAfterSeconds)}`);
  if (capacity !== undefined && !isCount(capacity)) problems.push(`capacity must be an integer >= 0 (0 = unbounded), got ${String(capacity)}`);
  if (seed !== undefined && !(typeof seed === 'number' && Number.isInteger(seed))) problems.push(`seed must be an integer, got ${String(seed)}`);
  if (models !== undefined && (!Array.isArray(models) || models.length === 0 || models.some((m) => typeof m !== 'string' || m === ''))) {
    problems.push(`models must be a non-empty list of names, got ${JSON.stringify(models)}`);
  }
  if (closeAfterResponseMs !== undefined && !(Number.isFinite(closeAfterResponseMs) && closeAfterResponseMs >= 0)) {
    problems.push(`closeAfterResponseMs must be a number >= 0, got ${String(closeAfterResponseMs)}`);
  }
  return problems;
}

/** Throws a TypeError naming every problem; otherwise returns the settings the server reads. */
export function buildSettings(options: SimulatorOptions, random?: Random): SimSettings {
  const problems = checkOptions(options);
  if (problems.length > 0) throw new TypeError(`Invalid simulator options: ${problems.join('; ')}`);
  const seed = options.seed ?? SIM_DEFAULTS.seed;
  const stream = random ?? createRandom(seed);
  const output = options.outputTokens ?? SIM_DEFAULTS.outputTokens;
  return {
    options: { ...options },
    latency: latencySampler(options.latencyMs, stream),
    ttft: latencySampler(options.ttftMs, stream),
    tokensPerSecond: options.tokensPerSecond ?? 0,
    outputTokens: typeof output === 'number' ? { min: output, max: output } : { min: output.min, max: output.max },
    errorRate: options.errorRate ?? 0,
    errorKinds: options.errorKinds ?? DEFAULT_ERROR_KINDS,
    retryAfterSeconds: options.retryAfterSeconds ?? SIM_DEFAULTS.retryAfterSeconds,
    capacity: options.capacity ?? 0,
    seed,
    models: options.models ?? SIM_DEFAULTS.models,
    apiKey: options.apiKey,
    closeAfterResponseMs: options.closeAfterResponseMs,
    random: stream,
  };
}

/** Applies a runtime patch. The seeded stream restarts only when the seed changes. */
export function patchSettings(current: SimSettings, patch: Partial<SimulatorOptions>): SimSettings {
  const merged: SimulatorOptions = { ...current.options, ...patch };
  const keepStream = patch.seed === undefined || patch.seed === current.seed;
  return buildSettings(merged, keepStream ? current.random : undefined);
}
