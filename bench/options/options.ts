/** Everything `switchyard bench` can be told, after parsing and before validation. */
import type { GoodputSlo } from '../../shared/report/schema';
import type { RateStage } from '../generator/arrival-schedule';
import type { WireApi } from '../generator/wire';

export const SCENARIOS = ['fixed-rate', 'stages', 'blast', 'mix', 'sweep', 'compare', 'overhead'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface SimSettings {
  latencyMs: number;
  ttftMs?: number;
  tokensPerSecond?: number;
  outputTokens?: number;
  capacity?: number;
  /** The simulator closes each connection this long after a response, while advertising keep-alive. */
  closeAfterResponseMs?: number;
}

export interface BenchOptions {
  scenario: ScenarioName | null;
  preset: string | null;
  /** Gateway (or any target) URL; absent = start a simulator and a daemon. */
  target: string | null;
  /** The provider itself, for overhead and the standard run's direct phase. */
  direct: string | null;
  token: string | null;
  api: WireApi;
  models: string[];
  weights: number[];
  requests: number | null;
  concurrency: number | null;
  rate: number | null;
  durationSec: number | null;
  arrivals: 'uniform' | 'poisson';
  stages: RateStage[] | null;
  stageKind: 'rate' | 'concurrency';
  concurrencies: number[] | null;
  compareTargets: { name: string; url: string }[];
  rounds: number;
  stream: boolean;
  maxTokens: number;
  timeoutMs: number;
  seed: number;
  warmup: number | null;
  maxInFlight: number | null;
  lateThresholdMs: number;
  slo: GoodputSlo | null;
  scale: number;
  repeat: number;
  force: boolean;
  skipDirect: boolean;
  sim: SimSettings;
  json: string | null;
  html: string | null;
  outDir: string;
  saveBaseline: string | null;
  baseline: string | null;
  quiet: boolean;
  /** Progress as JSON lines on stderr (for a host process), instead of the progress line. */
  progressJson: boolean;
  command: string;
}

export const DEFAULT_MODELS = ['sim-chat', 'sim-coder'];
/** Above this concurrency (or in-flight cap) a run needs `--force`: it is more likely a typo than a plan. */
export const SANE_CONCURRENCY_CAP = 2000;
/** Above this open-loop rate a run needs `--force`: one Node process cannot keep such a schedule. */
export const SANE_RATE_CAP = 100_000;
