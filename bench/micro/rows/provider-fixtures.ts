/**
 * Providers and a router as the routing and provider rows need them: `count` OpenAI-compatible
 * providers on loopback ports nothing listens on (no row sends a request), half local, each
 * serving `m` and `m2`, with a routing candidate per provider. Adapters are real; their pools
 * open no connection until a request is sent.
 */
import type { Provider, ProviderSettings } from '../../../daemon/core/provider';
import { ProviderRegistry } from '../../../daemon/providers/provider-registry';
import { parseRoutingConfig } from '../../../daemon/routing/routes-schema';
import { Router } from '../../../daemon/routing/router';

export function providerSettings(index: number, apiKey?: string): ProviderSettings {
  const local = index % 2 === 0;
  return {
    name: `p${index}`,
    kind: 'openai',
    baseUrl: `http://127.0.0.1:${10_000 + index}/v1`,
    ...(apiKey !== undefined ? { apiKey } : {}),
    models: ['m', 'm2'],
    local,
    prices: local ? {} : { m: { input: 0.1 * index, output: 0.4 * index } },
    maxConnections: 64,
    capacity: 4 + (index % 3),
    connectTimeoutMs: 1_000,
    headersTimeoutMs: 1_000,
    bodyTimeoutMs: 1_000,
    headers: {},
  };
}

/**
 * A registry whose providers are settings only: the routing rows measure selection, which
 * reads settings and live state and never reaches an adapter.
 */
export function settingsRegistry(count: number): { registry: ProviderRegistry; providers: ProviderSettings[] } {
  const registry = new ProviderRegistry((settings) => ({ settings, close: async () => {} }) as unknown as Provider);
  const providers = Array.from({ length: count }, (_, i) => providerSettings(i));
  for (const provider of providers) registry.add(provider);
  return { registry, providers };
}

/** A router over `registry` with the given `[routes]` section; probes off, breakers that stay open for the run. */
export function routerFor(registry: ProviderRegistry, providers: ProviderSettings[], routes: Record<string, unknown>): Router {
  const { config } = parseRoutingConfig(routes, { probe_interval_ms: 0, breaker: { cooldown_ms: 3_600_000 } }, providers);
  return new Router({ registry, config });
}

/** A route over the first `count` providers, every candidate serving `m`. */
export function routeOver(providers: ProviderSettings[], count: number, strategy: string): Record<string, unknown> {
  return { strategy, allow_cloud: true, candidates: providers.slice(0, count).map((p, i) => ({ provider: p.name, model: 'm', weight: 1 + (i % 4) })) };
}
