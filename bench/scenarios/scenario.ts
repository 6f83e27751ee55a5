/** What every scenario gets and gives back. */
import type { BenchOptions } from '../options/options';
import type { ScenarioResult } from '../report/build-report';
import type { BenchRunner } from '../phases/runner';
import type { BenchStack } from '../targets/bench-stack';
import { buildSpec } from '../phases/spec-builder';

export interface ScenarioContext {
  o: BenchOptions;
  stack: BenchStack;
  runner: BenchRunner;
  /** The daemon's RSS before any load, when the target is a Switchyard daemon. */
  daemonIdleRss: number | null;
  /** Prefix for phase names, when a preset runs several scenarios in one report. */
  prefix: string;
}

export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioResult>;

/** Scales a count by `--scale`, never below 1. */
export function scaled(o: BenchOptions, n: number): number {
  return Math.max(1, Math.round(n * o.scale));
}

export function scaledSec(o: BenchOptions, sec: number): number {
  return Math.max(0.5, sec * o.scale);
}

export function phaseName(ctx: ScenarioContext, name: string): string {
  return ctx.prefix ? `${ctx.prefix}.${name}` : name;
}

export function daemonWatch(ctx: ScenarioContext) {
  return { daemon: { sample: () => ctx.stack.sampleDaemon(), rssIdleBytes: ctx.daemonIdleRss } };
}

/**
 * Runs unrecorded load so the target's JIT and pools are warm before short measured
 * phases (a sweep's 1,000-request levels would otherwise measure a cold daemon).
 */
export async function warmTarget(ctx: ScenarioContext, concurrency: number, requests: number): Promise<void> {
  if (requests <= 0 || ctx.runner.interrupted) return;
  await ctx.runner.runPhase(
    { name: phaseName(ctx, 'warm-up'), label: `warm-up (${requests} requests, not measured)`, role: 'target' },
    buildSpec(ctx.o, ctx.stack.gateway, { mode: 'closed', concurrency, requests }, { warmupRequests: 0 }),
  );
}
