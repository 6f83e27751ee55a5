/** `switchyard bench …`: checks the input, runs the benchmark, prints and writes the report. Returns the exit code. */
import { runCompareCommand } from './cli/compare-command';
import { runCrosscheckCommand } from './crosscheck/crosscheck-command';
import { parseBenchArgs } from './options/parse-args';
import { BENCH_USAGE } from './options/usage';
import { validateOptions } from './options/validate-options';
import { ProgressJsonLines } from './report/progress-json';
import { renderTerminalReport } from './report/terminal-report';
import { writeOutputs } from './report/write-outputs';
import { runBench } from './orchestrator/run-bench';
import { PRESETS } from './scenarios/index';

export async function runBenchCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'compare') return runCompareCommand(argv.slice(1));
  if (argv[0] === 'crosscheck') return runCrosscheckCommand(argv.slice(1));
  const parsed = parseBenchArgs(argv);
  if (!parsed.ok) return fail(parsed.errors);
  if (parsed.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const o = parsed.options;
  const problems = validateOptions(o, Object.keys(PRESETS));
  if (problems.length) return fail(problems);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let run;
  try {
    run = await runBench(o, log, o.progressJson ? { progress: new ProgressJsonLines(process.stderr) } : {});
  } catch (err) {
    process.stderr.write(`switchyard bench: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const { report } = run;
  process.stdout.write(`\n${renderTerminalReport(report)}\n`);
  const written = writeOutputs(report, o, run.runName);
  process.stdout.write(`\nReport: ${written.join(', ')}\n`);
  if (report.status === 'interrupted') return 130;
  if (report.allFailed) return 1;
  return report.baselineDiff && report.baselineDiff.regressions > 0 ? 3 : 0;
}

function fail(errors: string[]): number {
  process.stderr.write(`switchyard bench: ${errors.length > 1 ? 'these options cannot run:\n' : ''}${errors.map((e) => (errors.length > 1 ? `  - ${e}` : e)).join('\n')}\n\nRun "switchyard bench --help" for the options.\n`);
  return 2;
}
