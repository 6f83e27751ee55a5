/**
 * The micro suite's JSON, written by `bench/micro/` and read by the compare step: one object
 * per row with the median and spread of its samples, hoosh's figure, the ratio and the budget
 * verdict. `kind` lets the compare step tell it from a load benchmark's report.
 */
export const MICRO_REPORT_KIND = 'switchyard-micro';

export interface MicroRowResult {
  group: string;
  name: string;
  input: string;
  status: 'ok' | 'failed';
  /** Why a row failed (its feature missing, an exception, a bad HTTP status). */
  error?: string;
  /** CPU time of this process, or elapsed time for rows that wait on other processes. */
  clock?: 'cpu' | 'wall';
  /** Nanoseconds per sample (per operation; per batch for the concurrency rows). */
  medianNs?: number;
  p25Ns?: number;
  p75Ns?: number;
  minNs?: number;
  maxNs?: number;
  samples?: number;
  /** For a row measured against a direct one: our median minus the direct row's, what the budget applies to. */
  addedNs?: number;
  /** The median of each round (`--rounds`): their spread is the run's own measure of noise. */
  roundMediansNs?: number[];
  requestsPerSample?: number;
  hooshNs: number | null;
  /** Our median over hoosh's: below 1 is faster. */
  ratio: number | null;
  budgetNs: number | null;
  budgetMet: boolean | null;
}

export interface MicroReport {
  kind: typeof MICRO_REPORT_KIND;
  version: 1;
  startedAt: string;
  node: string;
  cpu: string;
  cores: number;
  /** The 1, 5 and 15 minute load averages when the run started: a busy machine makes every figure slower. */
  loadAverage: number[];
  filter: string | null;
  rounds: number;
  rows: MicroRowResult[];
}

export function isMicroReport(value: unknown): value is MicroReport {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === MICRO_REPORT_KIND && Array.isArray((value as { rows?: unknown }).rows);
}
