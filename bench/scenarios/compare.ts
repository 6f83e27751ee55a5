/** The same load against several targets (`--targets a=URL,b=URL`) or routes (`--models`), side by side. */
import type { Endpoint } from '../targets/bench-stack';
import { buildSpec } from '../phases/spec-builder';
import { blastLoad } from './blast';
import { fixedRateLoad } from './fixed-rate';
import { phaseName, type Scenario } from './scenario';

export const compare: Scenario = async (ctx) => {
  const { o } = ctx;
  const load = o.rate !== null ? fixedRateLoad(ctx, { rate: o.rate, durationSec: 10 }) : blastLoad(ctx, { concurrency: 30, requests: 600 });
  const entries: { name: string; endpoint: Endpoint; models: string[] }[] =
    o.compareTargets.length >= 2
      ? o.compareTargets.map((t) => ({ name: t.name, endpoint: { url: t.url, headers: ctx.stack.gateway.headers }, models: o.models.slice(0, 1) }))
      : o.models.map((m) => ({ name: m, endpoint: ctx.stack.gateway, models: [m] }));
  const phases = [];
  for (const entry of entries) {
    if (ctx.runner.interrupted) break;
    const run = await ctx.runner.runPhase(
      { name: phaseName(ctx, `compare-${entry.name}`), label: `compare: ${entry.name}`, role: 'target' },
      buildSpec(o, entry.endpoint, load, { models: entry.models, weights: [1] }),
    );
    phases.push(run.report);
  }
  return { phases };
};
