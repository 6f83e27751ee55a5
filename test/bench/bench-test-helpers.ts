/** Runs the benchmark engine in-process (the generator still gets its own process) against a simulator. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../bench/sim/index';
import { parseBenchArgs } from '../../bench/options/parse-args';
import { validateOptions } from '../../bench/options/validate-options';
import { runBench } from '../../bench/orchestrator/run-bench';
import { PRESETS } from '../../bench/scenarios/index';
import type { BenchReport } from '../../shared/report/schema';

export async function withSimulator<T>(options: SimulatorOptions, body: (sim: Simulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator(options);
  try {
    return await body(sim);
  } finally {
    await sim.close();
  }
}

/** `switchyard bench ARGS` without printing; returns the report. */
export async function bench(args: string[]): Promise<BenchReport> {
  const parsed = parseBenchArgs([...args, '--quiet', '--out-dir', tempDir()]);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.join('; '));
  const problems = validateOptions(parsed.options, Object.keys(PRESETS));
  assert.deepEqual(problems, []);
  const run = await runBench(parsed.options, () => undefined);
  return run.report;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'switchyard-bench-test-'));
}

export function phase(report: BenchReport, index = 0) {
  const p = report.phases[index];
  assert.ok(p, `phase ${index} missing`);
  return p;
}
