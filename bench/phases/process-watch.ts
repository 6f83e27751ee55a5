/**
 * Watches a target process (the daemon, the pass-through proxy) over one phase: CPU time
 * spent per request and the highest RSS seen while the load ran.
 */
import type { ProcessFigures } from '../../shared/report/schema';
import type { ProcessSample } from '../targets/bench-stack';

export interface ProcessWatch {
  finish(requests: number): Promise<ProcessFigures | null>;
}

export async function watchProcess(sample: () => Promise<ProcessSample | null>, rssIdleBytes: number | null, everyMs = 1000): Promise<ProcessWatch> {
  const first = await sample();
  if (!first) return { finish: async () => null };
  let peakRss = first.rssBytes;
  let sampling = false;
  const timer = setInterval(() => {
    if (sampling) return;
    sampling = true;
    void sample()
      .then((s) => {
        if (s && s.rssBytes > peakRss) peakRss = s.rssBytes;
      })
      .finally(() => (sampling = false));
  }, everyMs);
  return {
    async finish(requests) {
      clearInterval(timer);
      const last = await sample();
      if (last && last.rssBytes > peakRss) peakRss = last.rssBytes;
      return {
        rssIdleBytes,
        rssLoadBytes: peakRss,
        cpuMicrosPerRequest: last && requests > 0 ? (last.cpuMicros - first.cpuMicros) / requests : null,
      };
    },
  };
}
