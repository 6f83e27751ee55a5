/** The same request count at a list of concurrencies (1, 10, 50, 100 by default, as in `003`), with the ceiling marked. */
import type { SweepResult } from '../../shared/report/schema';
import { buildSpec } from '../phases/spec-builder';
import { findCeiling } from './find-ceiling';
import { daemonWatch, phaseName, scaled, warmTarget, type Scenario } from './scenario';

export const DEFAULT_SWEEP = [1, 10, 50, 100];

export const sweep: Scenario = async (ctx) => {
  const { o } = ctx;
  const levels = o.concurrencies ?? DEFAULT_SWEEP;
  const requests = o.requests ?? scaled(o, 1000);
  await warmTarget(ctx, Math.min(100, Math.max(...levels)), o.warmup ?? scaled(o, 3000));
  const phases = [];
  const points: SweepResult['points'] = [];
  for (const concurrency of levels) {
    if (ctx.runner.interrupted) break;
    const run = await ctx.runner.runPhase(
      { name: phaseName(ctx, `sweep-c${concurrency}`), label: `sweep: ${concurrency} concurrent`, role: 'target' },
      buildSpec(o, ctx.stack.gateway, { mode: 'closed', concurrency, requests }),
      daemonWatch(ctx),
    );
    phases.push(run.report);
    points.push({
      concurrency,
      phase: run.report.name,
      requestsPerSecond: run.report.okPerSecond,
      p50Ms: run.report.latency?.summary.p50Ms ?? null,
      p99Ms: run.report.latency?.summary.p99Ms ?? null,
    });
  }
  const ceiling = findCeiling(points);
  const last = points.at(-1);
  const notes =
    !ceiling && last && points.length > 1
      ? [`sweep: throughput was still growing at ${last.concurrency} concurrent; the ceiling is beyond the levels tried`]
      : [];
  return { phases, sweep: { points, ceiling }, notes };
};
