/**
 * Closed loop: a number of virtual users, each sending its next request when the last one
 * ends. Fixed concurrency (blast, sweep) or ramped through stages (k6-style).
 */
import type { RateStage } from './arrival-schedule';
import type { LoopContext } from './loop-context';

export interface ClosedLoopOptions {
  concurrency: number;
  requests?: number;
  durationSec?: number;
  stages?: RateStage[];
}

export async function runClosedLoop(ctx: LoopContext, options: ClosedLoopOptions): Promise<void> {
  const start = ctx.now();
  const stagesSec = options.stages?.reduce((s, st) => s + st.durationSec, 0);
  const durationMs = (stagesSec ?? options.durationSec ?? Infinity) * 1000;
  const deadline = start + durationMs;
  let issued = 0;
  let active = 0;
  let desired = options.stages ? 0 : options.concurrency;
  const more = () => !ctx.stopped() && (options.requests === undefined || issued < options.requests) && ctx.now() < deadline;

  const users: Promise<void>[] = [];
  const virtualUser = async () => {
    active++;
    try {
      while (more() && active <= desired) {
        issued++;
        await ctx.send(ctx.now());
      }
    } finally {
      active--;
    }
  };
  const spawnUpTo = () => {
    while (active < desired && more()) users.push(virtualUser());
  };

  if (!options.stages) {
    spawnUpTo();
    await Promise.all(users);
    return;
  }
  const stages = options.stages;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsedSec = (ctx.now() - start) / 1000;
      if (!more()) {
        clearInterval(timer);
        resolve();
        return;
      }
      desired = Math.max(0, Math.round(stageTarget(stages, elapsedSec, 0)));
      spawnUpTo();
    };
    const timer = setInterval(tick, 50);
    tick();
  });
  await Promise.all(users);
}

/** The value a linear ramp through `stages` has at `tSec`, starting from `startValue`. */
export function stageTarget(stages: readonly RateStage[], tSec: number, startValue: number): number {
  let from = startValue;
  let t = tSec;
  for (const stage of stages) {
    if (t < stage.durationSec) return from + ((stage.target - from) * t) / Math.max(stage.durationSec, 1e-9);
    t -= stage.durationSec;
    from = stage.target;
  }
  return from;
}
