/** The generator watches itself: event-loop delay and CPU, to tell when it was the limit. */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { GeneratorHealth } from '../../shared/report/schema';

/** Above this share of one core the generator itself is saturated. */
const CPU_BOUND_FRACTION = 0.9;
const LOOP_DELAY_BOUND_MS = 50;
const RESOLUTION_MS = 10;
/** Open loop: share of sends that fell behind schedule while a slot was free. */
const LAG_BOUND_FRACTION = 0.05;

export function startSelfMonitor(): { stop(lag?: { lagged: number; sent: number }): GeneratorHealth } {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return {
    stop(lag) {
      delay.disable();
      const cpu = process.cpuUsage(cpu0);
      const wallUs = (performance.now() - t0) * 1000;
      const cpuFraction = wallUs > 0 ? (cpu.user + cpu.system) / wallUs : 0;
      // The histogram holds whole timer intervals; the delay is what exceeds the resolution.
      const p99 = delay.count > 0 ? Math.max(0, delay.percentile(99) / 1e6 - RESOLUTION_MS) : 0;
      const max = delay.count > 0 ? Math.max(0, delay.max / 1e6 - RESOLUTION_MS) : 0;
      const reasons: string[] = [];
      // Under a second, CPU share is mostly start-up and JIT: too short to judge.
      if (cpuFraction >= CPU_BOUND_FRACTION && wallUs >= 1e6) reasons.push(`generator used ${(cpuFraction * 100).toFixed(0)}% of a core`);
      if (p99 >= LOOP_DELAY_BOUND_MS) reasons.push(`generator event-loop delay p99 ${p99.toFixed(0)} ms`);
      if (lag && lag.sent > 0 && lag.lagged / lag.sent >= LAG_BOUND_FRACTION)
        reasons.push(`${((lag.lagged / lag.sent) * 100).toFixed(0)}% of sends fell behind schedule with a free slot`);
      return { cpuFraction, eventLoopDelayP99Ms: p99, eventLoopDelayMaxMs: max, bound: reasons.length > 0, reasons };
    },
  };
}
