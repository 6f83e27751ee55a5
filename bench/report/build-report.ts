/** Assembles the report from a scenario's result, with the sentences a reader must not miss. */
import { arch, availableParallelism, loadavg, platform } from 'node:os';
import type { BaselineDiff, BenchReport, OverheadResult, PhaseReport, ProcessFigures, RepeatsResult, SweepResult } from '../../shared/report/schema';
import { REPORT_SCHEMA, REPORT_VERSION } from '../../shared/report/schema';
import type { BenchOptions } from '../options/options';
import { BENCH_VERSION } from '../version';

/** What a scenario hands to the report. */
export interface ScenarioResult {
  phases: PhaseReport[];
  sweep?: SweepResult;
  overhead?: OverheadResult;
  daemon?: ProcessFigures | null;
  notes?: string[];
}

export interface ReportInput {
  title: string;
  scenario: string;
  preset: string | null;
  options: BenchOptions;
  result: ScenarioResult;
  interrupted: boolean;
  repeats?: RepeatsResult | null;
  baselineDiff?: BaselineDiff | null;
  /** One-minute load average before the run. */
  loadAverageAtStart?: number;
}

export function assembleReport(input: ReportInput): BenchReport {
  const { result, options: o } = input;
  const phases = result.phases;
  const notes = [...(result.notes ?? [])];
  const totalOk = phases.reduce((s, p) => s + p.counts.ok, 0);
  const totalDone = phases.reduce((s, p) => s + p.counts.completed, 0);
  const allFailed = totalOk === 0;
  if (allFailed) {
    const kinds = mergeErrors(phases.map((p) => p.errors));
    notes.unshift(
      totalDone === 0
        ? 'No request completed: nothing was measured.'
        : `Every request failed (${describeErrors(kinds)}); no latency figures. Check that the target is up and speaks the ${o.api} API, and the token.`,
    );
  }
  for (const p of phases) {
    if (!allFailed && p.counts.errors > 0) notes.push(`${p.label}: ${p.counts.errors} of ${p.counts.completed} requests failed (${describeErrors(p.errors)})`);
    if (p.counts.ok === 0 && p.counts.completed > 0 && !allFailed) notes.push(`${p.label}: every request failed`);
    if (p.generator.bound) notes.push(`${p.label}: generator-bound (${p.generator.reasons.join('; ')}); these figures show the generator's limit, not the target's`);
    if (p.counts.dropped > 0) notes.push(`${p.label}: ${p.counts.dropped} arrivals dropped after waiting for a free in-flight slot`);
    if (p.counts.late > 0 && p.load.mode === 'open') notes.push(`${p.label}: ${p.counts.late} requests sent late (more than ${o.lateThresholdMs} ms after their intended time)`);
  }
  const cpus = availableParallelism();
  const loadAverageAtEnd = loadavg()[0]!;
  // Before the run, nothing of ours is running yet: load then is other work on the machine.
  const before = input.loadAverageAtStart ?? 0;
  if (platform() !== 'win32' && before > cpus / 2)
    notes.push(`The machine was busy before this benchmark started (load average ${before.toFixed(1)} on ${cpus} CPUs): expect noisy figures; compare medians of repeated runs.`);
  if (input.interrupted) notes.unshift('Interrupted (Ctrl-C): this is a partial report of what ran.');
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    createdAt: new Date().toISOString(),
    tool: { name: 'switchyard bench', version: BENCH_VERSION },
    host: {
      platform: platform(),
      arch: arch(),
      cpus,
      node: process.version,
      ...(input.loadAverageAtStart !== undefined && { loadAverageAtStart: input.loadAverageAtStart }),
      loadAverageAtEnd,
    },
    title: input.title,
    scenario: input.scenario,
    preset: input.preset,
    command: o.command,
    settings: settingsOf(o),
    status: input.interrupted ? 'interrupted' : 'complete',
    allFailed,
    generatorBound: phases.some((p) => p.generator.bound),
    notes,
    phases,
    sweep: result.sweep ?? null,
    overhead: result.overhead ?? null,
    daemon: result.daemon ?? null,
    repeats: input.repeats ?? null,
    baselineDiff: input.baselineDiff ?? null,
  };
}

function settingsOf(o: BenchOptions): Record<string, unknown> {
  return {
    target: o.target ?? 'self-started simulator and daemon',
    direct: o.direct,
    api: o.api,
    models: o.models,
    weights: o.weights,
    stream: o.stream,
    maxTokens: o.maxTokens,
    seed: o.seed,
    scale: o.scale,
    timeoutMs: o.timeoutMs,
    ...(o.target === null && { simulator: o.sim }),
    ...(o.slo && { slo: o.slo }),
  };
}

function mergeErrors(list: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of list) for (const [k, v] of Object.entries(e)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export function describeErrors(errors: Record<string, number>): string {
  const parts = Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v} ${k.replace('http_', 'HTTP ')}`);
  return parts.length ? parts.join(', ') : 'no errors';
}
