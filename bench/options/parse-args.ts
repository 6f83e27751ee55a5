/** `switchyard bench` flags → BenchOptions. Malformed values become messages, not exceptions. */
import { parseArgs } from 'node:util';
import type { RateStage } from '../generator/arrival-schedule';
import { localDaemonToken } from './local-daemon-token';
import { DEFAULT_MODELS, SCENARIOS, type BenchOptions, type ScenarioName } from './options';

export const FLAGS = {
  scenario: { type: 'string' },
  preset: { type: 'string' },
  target: { type: 'string' },
  direct: { type: 'string' },
  token: { type: 'string' },
  api: { type: 'string' },
  model: { type: 'string' },
  models: { type: 'string' },
  weights: { type: 'string' },
  requests: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  arrivals: { type: 'string' },
  stages: { type: 'string' },
  'stage-kind': { type: 'string' },
  concurrencies: { type: 'string' },
  targets: { type: 'string' },
  rounds: { type: 'string' },
  stream: { type: 'boolean' },
  'max-tokens': { type: 'string' },
  'timeout-ms': { type: 'string' },
  seed: { type: 'string' },
  warmup: { type: 'string' },
  'max-in-flight': { type: 'string' },
  'late-ms': { type: 'string' },
  'slo-latency-ms': { type: 'string' },
  'slo-ttft-ms': { type: 'string' },
  'slo-tpot-ms': { type: 'string' },
  scale: { type: 'string' },
  repeat: { type: 'string' },
  force: { type: 'boolean' },
  'no-direct': { type: 'boolean' },
  'sim-latency-ms': { type: 'string' },
  'sim-ttft-ms': { type: 'string' },
  'sim-tokens-per-s': { type: 'string' },
  'sim-output-tokens': { type: 'string' },
  'sim-capacity': { type: 'string' },
  'sim-close-after-response-ms': { type: 'string' },
  json: { type: 'string' },
  html: { type: 'string' },
  'out-dir': { type: 'string' },
  'save-baseline': { type: 'string' },
  baseline: { type: 'string' },
  quiet: { type: 'boolean' },
  'progress-json': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ParseResult = { ok: true; options: BenchOptions; help: boolean } | { ok: false; errors: string[] };

export function parseBenchArgs(argv: string[]): ParseResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: joinNegativeValues(argv), options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    return { ok: false, errors: [err instanceof Error ? err.message : String(err)] };
  }
  const errors: string[] = [];
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const num = (k: string): number | null => {
    const raw = str(k);
    if (raw === undefined) return null;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) {
      errors.push(`--${k} must be a number, got "${raw}"`);
      return null;
    }
    return n;
  };
  const list = (k: string): number[] | null => {
    const raw = str(k);
    if (raw === undefined) return null;
    const parts = raw.split(',').map((s) => Number(s.trim()));
    if (parts.some((n) => !Number.isFinite(n))) {
      errors.push(`--${k} must be a comma-separated list of numbers, got "${raw}"`);
      return null;
    }
    return parts;
  };

  const scenario = str('scenario');
  if (scenario !== undefined && !(SCENARIOS as readonly string[]).includes(scenario))
    errors.push(`unknown scenario "${scenario}"; choose one of: ${SCENARIOS.join(', ')}`);
  const api = str('api') ?? 'openai';
  if (api !== 'openai' && api !== 'ollama') errors.push(`--api must be openai or ollama, got "${api}"`);
  const arrivals = str('arrivals') ?? 'uniform';
  if (arrivals !== 'uniform' && arrivals !== 'poisson') errors.push(`--arrivals must be uniform or poisson, got "${arrivals}"`);
  const stageKind = str('stage-kind') ?? 'rate';
  if (stageKind !== 'rate' && stageKind !== 'concurrency') errors.push(`--stage-kind must be rate or concurrency, got "${stageKind}"`);

  const modelList = str('models')?.split(',').map((s) => s.trim()).filter(Boolean);
  const models = modelList ?? (str('model') ? [str('model')!] : scenario === 'mix' ? DEFAULT_MODELS : [DEFAULT_MODELS[0]!]);
  const weights = list('weights') ?? (models.length === 2 ? [70, 30] : models.map(() => 1));

  const sloLimits = given({ latencyMs: num('slo-latency-ms'), ttftMs: num('slo-ttft-ms'), tpotMs: num('slo-tpot-ms') });
  const slo = Object.keys(sloLimits).length ? sloLimits : null;

  const options: BenchOptions = {
    scenario: (scenario as ScenarioName | undefined) ?? null,
    preset: str('preset') ?? null,
    target: str('target') ?? null,
    direct: str('direct') ?? null,
    token: str('token') ?? process.env.SWITCHYARD_TOKEN ?? localDaemonToken(str('target') ?? null),
    api: api as BenchOptions['api'],
    models,
    weights,
    requests: num('requests'),
    concurrency: num('concurrency'),
    rate: num('rate'),
    durationSec: num('duration'),
    arrivals: arrivals as BenchOptions['arrivals'],
    stages: parseStages(str('stages'), errors),
    stageKind: stageKind as BenchOptions['stageKind'],
    concurrencies: list('concurrencies'),
    compareTargets: parseTargets(str('targets'), errors),
    rounds: num('rounds') ?? 3,
    stream: values.stream === true,
    maxTokens: num('max-tokens') ?? 32,
    timeoutMs: num('timeout-ms') ?? 30_000,
    seed: num('seed') ?? 1,
    warmup: num('warmup'),
    maxInFlight: num('max-in-flight'),
    lateThresholdMs: num('late-ms') ?? 10,
    slo,
    scale: num('scale') ?? 1,
    repeat: num('repeat') ?? 1,
    force: values.force === true,
    skipDirect: values['no-direct'] === true,
    sim: {
      latencyMs: num('sim-latency-ms') ?? 5,
      ...given({ ttftMs: num('sim-ttft-ms'), tokensPerSecond: num('sim-tokens-per-s'), outputTokens: num('sim-output-tokens'), capacity: num('sim-capacity'), closeAfterResponseMs: num('sim-close-after-response-ms') }),
    },
    json: str('json') ?? null,
    html: str('html') ?? null,
    outDir: str('out-dir') ?? '.bench-results',
    saveBaseline: str('save-baseline') ?? null,
    baseline: str('baseline') ?? null,
    quiet: values.quiet === true,
    progressJson: values['progress-json'] === true,
    command: ['switchyard', 'bench', ...argv].join(' '),
  };
  if (errors.length) return { ok: false, errors };
  return { ok: true, options, help: values.help === true };
}

/** Keeps the fields whose flag was given: a setting left out is absent, not null. */
function given<K extends string>(fields: Record<K, number | null>): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const key of Object.keys(fields) as K[]) if (fields[key] !== null) out[key] = fields[key];
  return out;
}

/** `--requests -5` → `--requests=-5`, so a negative count gets our message, not "ambiguous argument". */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const next = argv[i + 1];
    const takesValue = flag.startsWith('--') && (FLAGS as Record<string, { type: string }>)[flag.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && /^-\d/.test(next)) {
      out.push(`${flag}=${next}`);
      i++;
    } else out.push(flag);
  }
  return out;
}

/** `10s:50,30s:50,10s:0` or `10:50,...` → stages (seconds : target). */
function parseStages(raw: string | undefined, errors: string[]): RateStage[] | null {
  if (raw === undefined) return null;
  const stages: RateStage[] = [];
  for (const part of raw.split(',')) {
    const m = /^\s*(\d+(?:\.\d+)?)s?\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m) {
      errors.push(`--stages wants DURATION:TARGET pairs like 10s:50,30s:50,10s:0; "${part}" is not one`);
      return null;
    }
    stages.push({ durationSec: Number(m[1]), target: Number(m[2]) });
  }
  return stages;
}

/** `a=http://127.0.0.1:1,b=http://127.0.0.1:2` → named targets. */
function parseTargets(raw: string | undefined, errors: string[]): { name: string; url: string }[] {
  if (raw === undefined) return [];
  return raw.split(',').flatMap((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      errors.push(`--targets wants NAME=URL pairs; "${part}" is not one`);
      return [];
    }
    return [{ name: part.slice(0, eq).trim(), url: part.slice(eq + 1).trim() }];
  });
}
