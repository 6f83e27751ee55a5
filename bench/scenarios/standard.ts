/**
 * The standard run (`000`): a closed-loop blast through the gateway, then the same load
 * directly against the provider; the gateway/direct ratio, and the daemon's RSS and CPU
 * time per request.
 */
import type { ClosedLoad } from '../generator/phase-spec';
import { overheadSection } from '../report/overhead-section';
import { buildSpec } from '../phases/spec-builder';
import { daemonWatch, phaseName, scaled, type Scenario } from './scenario';

export const standard: Scenario = async (ctx) => {
  const { o, stack } = ctx;
  const load: ClosedLoad = { mode: 'closed', concurrency: o.concurrency ?? 200, requests: o.requests ?? scaled(o, 100_000) };
  const gateway = await ctx.runner.runPhase(
    { name: phaseName(ctx, 'gateway'), label: `gateway: ${load.concurrency} concurrent`, role: 'gateway' },
    buildSpec(o, stack.gateway, load),
    daemonWatch(ctx),
  );
  const phases = [gateway.report];
  const notes: string[] = [];
  let direct;
  if (stack.direct && !o.skipDirect && !ctx.runner.interrupted) {
    direct = await ctx.runner.runPhase(
      { name: phaseName(ctx, 'direct'), label: `direct: ${load.concurrency} concurrent`, role: 'direct' },
      buildSpec(o, stack.direct, load),
    );
    phases.push(direct.report);
  } else if (!stack.direct) {
    notes.push('no direct provider URL (--direct), so no gateway/direct ratio');
  }
  return {
    phases,
    overhead: overheadSection({ gateway: gateway.report, direct: direct?.report }, 1, { gateway: gateway.daemon, proxy: null }),
    daemon: gateway.daemon,
    notes,
  };
};
