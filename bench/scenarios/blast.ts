/** Closed loop: N concurrent, M total (or for a duration), like the `002` async blast and the `000` run. */
import type { ClosedLoad } from '../generator/phase-spec';
import { buildSpec } from '../phases/spec-builder';
import { daemonWatch, phaseName, scaled, type Scenario, type ScenarioContext } from './scenario';

export function blastLoad(ctx: ScenarioContext, defaults: { concurrency: number; requests: number }): ClosedLoad {
  const { o } = ctx;
  const concurrency = o.concurrency ?? defaults.concurrency;
  if (o.durationSec !== null && o.requests === null) return { mode: 'closed', concurrency, durationSec: o.durationSec };
  return { mode: 'closed', concurrency, requests: o.requests ?? scaled(o, defaults.requests) };
}

export const blast: Scenario = async (ctx) => {
  const load = blastLoad(ctx, { concurrency: 30, requests: 600 });
  const run = await ctx.runner.runPhase(
    { name: phaseName(ctx, 'blast'), label: `blast ${load.concurrency} concurrent`, role: 'target' },
    buildSpec(ctx.o, ctx.stack.gateway, load),
    daemonWatch(ctx),
  );
  return { phases: [run.report], daemon: run.daemon };
};

export const mix: Scenario = async (ctx) => {
  const load = blastLoad(ctx, { concurrency: 30, requests: 900 });
  const shares = ctx.o.weights.map((w) => Math.round((w / ctx.o.weights.reduce((a, b) => a + b, 0)) * 100)).join('/');
  const run = await ctx.runner.runPhase(
    { name: phaseName(ctx, 'mix'), label: `mix ${shares} of ${ctx.o.models.join(', ')}`, role: 'target' },
    buildSpec(ctx.o, ctx.stack.gateway, load),
    daemonWatch(ctx),
  );
  return { phases: [run.report], daemon: run.daemon };
};
