import type { Registry } from 'prom-client';
import type { RedisClientType } from '@keyv/redis';
import type { CacheSettings, TeamSettings } from '../config/cache-schema';
import { BackingStore } from './backing-store';
import { CacheMetrics } from './cache-metrics';
import { EmbeddedFileStore } from './embedded-file-store';
import { ResponseCache } from './response-cache';

export interface OpenCacheOptions {
  settings: CacheSettings;
  team: TeamSettings;
  /** The shared team connection's client, when `[team] redis_url` is set. */
  redis?: RedisClientType;
  registry: Registry;
  warn: (message: string) => void;
}

/**
 * Builds the response cache: the embedded store (its file loaded, or set aside if corrupt),
 * Redis behind it in team mode, and the memory layer warmed from the file.
 */
export function openResponseCache(options: OpenCacheOptions): ResponseCache {
  const metrics = new CacheMetrics(options.registry);
  const embedded = new EmbeddedFileStore({ ...(options.settings.file !== undefined ? { path: options.settings.file } : {}), warn: options.warn });
  const store = new BackingStore({
    embedded,
    namespace: `${options.team.keyPrefix}:cache`,
    ...(options.redis !== undefined ? { redis: options.redis } : {}),
    metrics,
    warn: options.warn,
  });
  const cache = new ResponseCache({ settings: options.settings, store, metrics, shared: options.redis !== undefined });
  // In team mode the embedded file only holds what was written while Redis was down.
  if (options.redis === undefined) cache.warm(store.embeddedEntries());
  return cache;
}
