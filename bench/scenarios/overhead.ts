/**
 * The same load directly against the provider, through the bare pass-through proxy and
 * through the gateway, alternating in rounds within one run so that drift on a shared
 * machine hits all three alike.
 */
import type { PhaseReport, ProcessFigures } from '../../shared/report/schema';
import type { PhaseOutcome } from '../generator/phase-spec';
import { mergeOutcomes } from '../generator/merge-outcomes';
import { combineProcessFigures, overheadSection } from '../report/overhead-section';
import { buildPhaseReport } from '../report/phase-report';
import { buildSpec, describeLoad } from '../phases/spec-builder';
import type { Watched } from '../phases/runner';
import type { Endpoint, ProxyHandle } from '../targets/bench-stack';
import { daemonWatch, phaseName, scaled, type Scenario } from './scenario';

type Role = 'direct' | 'proxy' | 'gateway';
const LABELS: Record<Role, string> = { direct: 'direct to provider', proxy: 'bare pass-through proxy', gateway: 'through the gateway' };

export const overhead: Scenario = async (ctx) => {
  const { o, stack } = ctx;
  if (!stack.direct) throw new Error('the overhead scenario needs the provider URL (--direct)');
  const concurrency = o.concurrency ?? 50;
  const total = o.requests ?? scaled(o, 6000);
  const rounds = Math.max(1, Math.min(o.rounds, total));
  const perRound = Math.max(1, Math.floor(total / rounds));
  const proxy: ProxyHandle = await stack.startProxy();
  const proxyIdle = (await proxy.sample())?.rssBytes ?? null;
  const endpoints: Record<Role, Endpoint> = { direct: stack.direct, proxy: proxy.endpoint, gateway: stack.gateway };
  const watched: Record<Role, Watched> = {
    direct: {},
    proxy: { proxy: { sample: () => proxy.sample(), rssIdleBytes: proxyIdle } },
    gateway: daemonWatch(ctx),
  };
  const outcomes: Record<Role, PhaseOutcome[]> = { direct: [], proxy: [], gateway: [] };
  const figures: Record<Role, { figures: ProcessFigures | null; requests: number }[]> = { direct: [], proxy: [], gateway: [] };
  const order: Role[] = ['direct', 'proxy', 'gateway'];
  try {
    for (let round = 0; round < rounds && !ctx.runner.interrupted; round++) {
      // Rotate the order each round, so no target always runs right after another.
      const rotated = order.map((_, i) => order[(i + round) % order.length]!);
      for (const role of rotated) {
        if (ctx.runner.interrupted) break;
        const load = { mode: 'closed' as const, concurrency, requests: perRound };
        const spec = buildSpec(o, endpoints[role], load, round === 0 ? {} : { warmupRequests: 0 });
        const run = await ctx.runner.runPhase(
          { name: `${role}-round${round + 1}`, label: `overhead round ${round + 1}/${rounds}: ${LABELS[role]}`, role },
          spec,
          watched[role],
        );
        outcomes[role].push(run.outcome);
        const served = run.outcome.counts.completed + run.outcome.counts.warmup;
        figures[role].push({ figures: role === 'proxy' ? run.proxy : role === 'gateway' ? run.daemon : null, requests: served });
      }
    }
  } finally {
    await proxy.stop();
  }
  const phases: Partial<Record<Role, PhaseReport>> = {};
  for (const role of order) {
    if (!outcomes[role].length) continue;
    const merged = mergeOutcomes(outcomes[role]);
    const process = combineProcessFigures(figures[role]);
    phases[role] = buildPhaseReport(
      {
        name: phaseName(ctx, role),
        label: LABELS[role],
        role,
        targetUrl: endpoints[role].url,
        models: o.models,
        stream: o.stream,
        slo: o.slo,
        load: describeLoad({ mode: 'closed', concurrency, requests: perRound * outcomes[role].length }),
      },
      merged,
      role === 'gateway' ? { daemon: process } : role === 'proxy' ? { proxy: process } : {},
    );
  }
  const gatewayFigures = phases.gateway?.daemon ?? null;
  return {
    phases: order.flatMap((r) => (phases[r] ? [phases[r]] : [])),
    overhead: overheadSection(phases, rounds, { gateway: gatewayFigures, proxy: phases.proxy?.proxy ?? null }),
    daemon: gatewayFigures,
  };
};
