/**
 * The endpoints a run talks to: the gateway (a given `--target`, or a daemon started
 * here), the provider directly (`--direct`, or the simulator started here), the daemon's
 * status for RSS and CPU, and on demand the reference pass-through proxy.
 */
import type { DaemonStatus } from '../../shared/admin';
import type { BenchOptions } from '../options/options';
import { resolveWorkerEntry } from '../generator/worker-entry';
import { getJson, probeTarget } from './http-json';
import { startSelfStartedStack } from './self-started';
import { spawnReady } from './spawn-ready';

export interface Endpoint {
  url: string;
  headers: Record<string, string>;
}

/** What a process spent so far: CPU time and resident memory. */
export interface ProcessSample {
  rssBytes: number;
  cpuMicros: number;
}

export interface ProxyHandle {
  endpoint: Endpoint;
  sample(): Promise<ProcessSample | null>;
  stop(): Promise<void>;
}

export interface BenchStack {
  gateway: Endpoint;
  direct: Endpoint | null;
  selfStarted: boolean;
  /** The gateway daemon's process figures, or null when the target is not a Switchyard daemon. */
  sampleDaemon(): Promise<ProcessSample | null>;
  startProxy(): Promise<ProxyHandle>;
  close(): Promise<void>;
}

export async function openStack(o: BenchOptions): Promise<BenchStack> {
  if (o.target) {
    for (const url of [o.target, o.direct, ...o.compareTargets.map((t) => t.url)]) {
      if (!url) continue;
      const problem = await probeTarget(url);
      if (problem) throw new Error(problem);
    }
    const headers: Record<string, string> = o.token ? { authorization: `Bearer ${o.token}` } : {};
    return makeStack({ url: o.target, headers }, o.direct ? { url: o.direct, headers: {} } : null, false, async () => undefined);
  }
  const models = [...new Set([...o.models, 'sim-chat', 'sim-coder'])];
  const started = await startSelfStartedStack(o.sim, models, o.seed);
  return makeStack({ url: started.daemonUrl, headers: { authorization: `Bearer ${started.token}` } }, { url: started.simUrl, headers: {} }, true, () => started.close());
}

function makeStack(gateway: Endpoint, direct: Endpoint | null, selfStarted: boolean, closeStack: () => Promise<void>): BenchStack {
  const proxies: ProxyHandle[] = [];
  let closed = false;
  return {
    gateway,
    direct,
    selfStarted,
    async sampleDaemon() {
      try {
        const s = await getJson<Partial<DaemonStatus>>(new URL('/v1/switchyard/status', gateway.url).href, gateway.headers, 3000);
        if (typeof s.rssBytes !== 'number' || typeof s.cpuUserMicros !== 'number' || typeof s.cpuSystemMicros !== 'number') return null;
        return { rssBytes: s.rssBytes, cpuMicros: s.cpuUserMicros + s.cpuSystemMicros };
      } catch {
        return null;
      }
    },
    async startProxy() {
      if (!direct) throw new Error('the pass-through proxy needs a direct provider URL (--direct)');
      const entry = resolveWorkerEntry();
      const proc = await spawnReady<{ ready: true; url: string }>('the pass-through proxy', entry.file, ['passthrough', '--upstream', direct.url], entry.execArgv);
      const handle: ProxyHandle = {
        endpoint: { url: proc.ready.url, headers: {} },
        async sample() {
          try {
            const s = await getJson<{ rssBytes: number; cpuUserMicros: number; cpuSystemMicros: number }>(new URL('/__passthrough/status', proc.ready.url).href);
            return { rssBytes: s.rssBytes, cpuMicros: s.cpuUserMicros + s.cpuSystemMicros };
          } catch {
            return null;
          }
        },
        stop: () => proc.stop(),
      };
      proxies.push(handle);
      return handle;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(proxies.map((p) => p.stop()));
      await closeStack();
    },
  };
}
