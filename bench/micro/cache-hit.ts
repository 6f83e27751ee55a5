/**
 * In-process cache-hit latency, key included: what a hit costs the daemon before any HTTP.
 *
 *   node --import tsx bench/micro/cache-hit.ts [--iterations N] [--runs R]
 *
 * Measures (median of R runs, ns per lookup):
 *   key+lookup  the cache key of a typical chat request, the memory layer's get by its index, and the
 *               SHA-256 digest that confirms the hit (the sync hit path)
 *   handle()    ResponseCache.handle() end to end for a hit (async: policy, key, lookup, result)
 *   typed-ahead a fill-in-the-middle request answered from the rest of an earlier completion
 *   and, as a yardstick for the machine's speed in the same run, JSON.stringify of the request
 */
import { Registry } from 'prom-client';
import type { GatewayRequest, GatewayResponse } from '../../shared/gateway';
import { CacheKeys } from '../../daemon/cache/cache-key';
import { BackingStore } from '../../daemon/cache/backing-store';
import { CacheMetrics } from '../../daemon/cache/cache-metrics';
import { EmbeddedFileStore } from '../../daemon/cache/embedded-file-store';
import { MemoryLru } from '../../daemon/cache/memory-lru';
import { ResponseCache } from '../../daemon/cache/response-cache';
import type { GatewayResult, RequestContext, RoutePlan } from '../../daemon/core/pipeline';
import { upperMedian } from '../metrics/median';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const iterations = flag('--iterations', 1_000_000);
const runs = flag('--runs', 5);

const request: GatewayRequest = {
  kind: 'chat',
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a helpful assistant that answers briefly.' },
    { role: 'user', content: 'What is the capital of France? Answer in one word.' },
  ],
  stream: false,
  params: { temperature: 0, max_tokens: 64 },
};
const response: GatewayResponse = { id: 'r1', model: 'gpt-4o-mini', created: 0, text: 'Paris', finishReason: 'stop', usage: { promptTokens: 30, completionTokens: 1 } };
const plan = { candidates: [{ key: 'openai/gpt-4o-mini', model: 'gpt-4o-mini', provider: { settings: { name: 'openai', local: false } } }] } as unknown as RoutePlan;
const context: RequestContext = { signal: new AbortController().signal, door: 'openai', directives: {}, requestId: 'b', receivedAt: 0 };

function timeSync(body: () => void): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body();
  return Number(process.hrtime.bigint() - started) / iterations;
}

async function timeAsync(body: () => Promise<unknown>, count: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await body();
  return Number(process.hrtime.bigint() - started) / count;
}

async function main(): Promise<void> {
  const keys = new CacheKeys();
  const memory = new MemoryLru<{ response: GatewayResponse; digest: string }>({ maxEntries: 10_000, maxBytes: 64 << 20 });
  const stored = keys.key(request, 'openai/gpt-4o-mini');
  memory.set(stored.index, { response, digest: stored.digest }, 512, Date.now() + 3_600_000);
  let sink = 0;

  const registry = new Registry();
  const metrics = new CacheMetrics(registry);
  const store = new BackingStore({ embedded: new EmbeddedFileStore({}), namespace: 'bench', metrics, warn: () => {} });
  const cache = new ResponseCache({
    settings: { enabled: true, defaultPolicy: 'deterministic', ttlMs: 3_600_000, maxEntries: 10_000, maxBytes: 64 << 20, typedAhead: true },
    store,
    metrics,
    shared: false,
  });
  const miss = async (): Promise<GatewayResult> => ({ type: 'response', response, servedBy: { provider: 'openai', model: 'gpt-4o-mini', attempts: 1, cache: 'MISS' } });
  await cache.handle(request, plan, context, miss);

  const fim: GatewayRequest = { kind: 'completion', model: 'coder', prompt: 'function add(a, b) {\n  return ', suffix: '\n}\n', stream: false, params: { max_tokens: 32 } };
  const fimResponse: GatewayResponse = { ...response, text: 'a + b;' };
  await cache.handle(fim, plan, context, async () => ({ type: 'response', response: fimResponse, servedBy: { provider: 'local', model: 'coder', attempts: 1, cache: 'MISS' } }));
  const typed: GatewayRequest = { ...fim, prompt: `${fim.prompt}a +` };

  // A yardstick measured in the same run: the machine's speed (and load) scales both alike.
  const stringified: number[] = [];
  const keyed: number[] = [];
  const handled: number[] = [];
  const typedAhead: number[] = [];
  for (let run = 0; run < runs; run++) {
    stringified.push(timeSync(() => {
      sink += JSON.stringify(request).length & 1;
    }));
    keyed.push(timeSync(() => {
      const key = keys.key(request, 'openai/gpt-4o-mini');
      const found = memory.get(key.index);
      if (found !== undefined && found.digest === key.digest) sink++;
    }));
    handled.push(await timeAsync(() => cache.handle(request, plan, context, miss), Math.floor(iterations / 4)));
    typedAhead.push(await timeAsync(() => cache.handle(typed, plan, context, miss), Math.floor(iterations / 4)));
  }
  if (sink === 0) throw new Error('no hits');
  const result = {
    iterations,
    runs,
    keyAndLookupNs: Math.round(upperMedian(keyed)),
    handleHitNs: Math.round(upperMedian(handled)),
    typedAheadHitNs: Math.round(upperMedian(typedAhead)),
    jsonStringifyOfTheRequestNs: Math.round(upperMedian(stringified)),
    loadAverage: (await import('node:os')).loadavg().map((value) => Math.round(value * 10) / 10),
    node: process.version,
  };
  console.log(JSON.stringify(result));
  await cache.close();
}

void main();
