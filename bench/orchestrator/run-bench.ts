/**
 * One `switchyard bench` run: open the stack, start the generator process, run the
 * scenario (N times with --repeat), assemble the report, compare with a baseline.
 * Ctrl-C stops the load and still produces the report of what ran.
 */
import { loadavg } from 'node:os';
import type { BenchReport } from '../../shared/report/schema';
import { diffReports } from '../../shared/report/baseline-diff';
import { loadReport } from '../baseline/report-files';
import { summarizeRepeats } from '../baseline/repeats';
import type { BenchOptions } from '../options/options';
import { GeneratorClient } from '../generator/generator-client';
import { assembleReport } from '../report/build-report';
import { ProgressLine, type ProgressSink } from '../report/progress-line';
import { PRESETS, SCENARIO_TABLE } from '../scenarios/index';
import type { Scenario } from '../scenarios/scenario';
import { openStack } from '../targets/bench-stack';
import { BenchRunner } from '../phases/runner';

export interface BenchRun {
  report: BenchReport;
  runName: string;
}

export interface RunHooks {
  /** Progress of the running phase (the terminal uses a ProgressLine; the editor, `$/progress`). */
  progress?: ProgressSink;
  /** Aborting it stops the load; the run still returns the partial report. */
  signal?: AbortSignal;
  /** Whether Ctrl-C interrupts the run (the command line: yes; a host process: no). */
  handleSigint?: boolean;
}

export async function runBench(o: BenchOptions, log: (line: string) => void, hooks: RunHooks = {}): Promise<BenchRun> {
  const presetName = o.scenario === null ? (o.preset ?? '000') : null;
  const preset = presetName ? PRESETS[presetName]! : null;
  const scenario: Scenario = preset ? preset.run : SCENARIO_TABLE[o.scenario!];
  const title = preset ? `Preset ${preset.name}: ${preset.title(o)}` : `Scenario ${o.scenario}`;
  const baseline = o.baseline ? loadReport(o.baseline, o.outDir) : null; // fails before any load

  const loadAverageAtStart = loadavg()[0]!;
  log(o.target ? `Target ${o.target}` : 'Starting the simulated provider and a daemon…');
  const stack = await openStack(o);
  let generator: GeneratorClient | null = null;
  const progress = hooks.progress ?? new ProgressLine(process.stderr, !o.quiet);
  let runner: BenchRunner | null = null;
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    log('\nInterrupted: stopping the load and writing a partial report (Ctrl-C again to quit at once)…');
    runner?.interrupt();
  };
  const handleSigint = hooks.handleSigint ?? true;
  if (handleSigint) process.on('SIGINT', onSigint);
  const onAbort = () => runner?.interrupt();
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    generator = await GeneratorClient.start();
    runner = new BenchRunner(generator, progress);
    if (hooks.signal?.aborted) runner.interrupt();
    const daemonIdleRss = (await stack.sampleDaemon())?.rssBytes ?? null;
    const reports: BenchReport[] = [];
    for (let i = 0; i < o.repeat && !(runner.interrupted && reports.length); i++) {
      if (o.repeat > 1) log(`Run ${i + 1} of ${o.repeat}`);
      const result = await scenario({ o, stack, runner, daemonIdleRss, prefix: '' });
      reports.push(assembleReport({ title, scenario: o.scenario ?? 'preset', preset: presetName, options: o, result, interrupted: runner.interrupted, loadAverageAtStart }));
    }
    let report = reports[reports.length - 1]!;
    if (reports.length > 1) report = { ...report, repeats: summarizeRepeats(reports) };
    if (baseline) report = { ...report, baselineDiff: diffReports(baseline.report, report, o.baseline!, 'this run') };
    return { report, runName: presetName ? `bench-${presetName}` : `bench-${o.scenario}` };
  } finally {
    if (handleSigint) process.off('SIGINT', onSigint);
    hooks.signal?.removeEventListener('abort', onAbort);
    await generator?.close();
    await stack.close();
  }
}
