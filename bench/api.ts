/**
 * The benchmark as a library, for a host that is not the command line (the daemon's
 * "Run Gateway Benchmark" behind the editor): same flags, progress through a sink, an
 * AbortSignal instead of Ctrl-C. The load still runs in its own generator process.
 */
import type { BenchReport } from '../shared/report/schema';
import { parseBenchArgs } from './options/parse-args';
import { validateOptions } from './options/validate-options';
import type { ProgressSink } from './report/progress-line';
import { runBench } from './orchestrator/run-bench';
import { PRESETS } from './scenarios/index';

export type { ProgressSink } from './report/progress-line';
export type { PhaseProgress } from './generator/phase-spec';

export class BenchInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'BenchInputError';
  }
}

/** Runs `switchyard bench ARGS` and returns the report (not written to disk). Throws BenchInputError on bad input. */
export async function runBenchmark(args: string[], hooks: { progress?: ProgressSink; signal?: AbortSignal; log?: (line: string) => void } = {}): Promise<BenchReport> {
  const parsed = parseBenchArgs(args);
  if (!parsed.ok) throw new BenchInputError(parsed.errors);
  const problems = validateOptions(parsed.options, Object.keys(PRESETS));
  if (problems.length) throw new BenchInputError(problems);
  const noProgress: ProgressSink = { begin() {}, update() {}, end() {} };
  const run = await runBench(parsed.options, hooks.log ?? (() => undefined), {
    progress: hooks.progress ?? noProgress,
    signal: hooks.signal,
    handleSigint: false,
  });
  return run.report;
}
