/**
 * Open loop at a fixed rate (uniform or seeded Poisson arrivals), like `vegeta attack
 * -rate`; and ramped stages of rate or concurrency, like k6 stages.
 */
import type { OpenLoad } from '../generator/phase-spec';
import { buildSpec } from '../phases/spec-builder';
import { daemonWatch, phaseName, scaledSec, type Scenario, type ScenarioContext } from './scenario';

const DEFAULT_MAX_IN_FLIGHT = 1000;
const DROP_AFTER_MS = 10_000;

export function fixedRateLoad(ctx: ScenarioContext, defaults: { rate: number; durationSec: number }): OpenLoad {
  const { o } = ctx;
  const rate = o.rate ?? defaults.rate;
  const durationSec = o.durationSec ?? (o.requests !== null ? o.requests / rate : scaledSec(o, defaults.durationSec));
  return {
    mode: 'open',
    plan: { startRate: rate, stages: [{ durationSec, target: rate }], arrivals: o.arrivals, ...(o.requests !== null && { maxArrivals: o.requests }) },
    maxInFlight: o.maxInFlight ?? o.concurrency ?? DEFAULT_MAX_IN_FLIGHT,
    dropAfterMs: DROP_AFTER_MS,
  };
}

export const fixedRate: Scenario = async (ctx) => {
  const load = fixedRateLoad(ctx, { rate: 50, durationSec: 10 });
  const run = await ctx.runner.runPhase(
    { name: phaseName(ctx, 'fixed-rate'), label: `fixed rate ${load.plan.startRate}/s (${load.plan.arrivals})`, role: 'target' },
    buildSpec(ctx.o, ctx.stack.gateway, load),
    daemonWatch(ctx),
  );
  return { phases: [run.report], daemon: run.daemon };
};

export const stages: Scenario = async (ctx) => {
  const { o } = ctx;
  const byConcurrency = o.stageKind === 'concurrency';
  const peak = byConcurrency ? (o.concurrency ?? 30) : (o.rate ?? 20);
  const total = scaledSec(o, o.durationSec ?? 20);
  const plan = o.stages ?? [
    { durationSec: total / 4, target: peak },
    { durationSec: total / 2, target: peak },
    { durationSec: total / 4, target: 0 },
  ];
  const spec = byConcurrency
    ? buildSpec(o, ctx.stack.gateway, { mode: 'closed', concurrency: Math.max(1, ...plan.map((s) => Math.ceil(s.target))), stages: plan })
    : buildSpec(o, ctx.stack.gateway, {
        mode: 'open',
        plan: { startRate: 0, stages: plan, arrivals: o.arrivals },
        maxInFlight: o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
        dropAfterMs: DROP_AFTER_MS,
      });
  const describe = plan.map((s) => `${+s.durationSec.toFixed(1)}s→${s.target}`).join(', ');
  const run = await ctx.runner.runPhase(
    { name: phaseName(ctx, 'stages'), label: `stages of ${byConcurrency ? 'concurrency' : 'rate'}: ${describe}`, role: 'target' },
    spec,
    daemonWatch(ctx),
  );
  return { phases: [run.report], daemon: run.daemon };
};
