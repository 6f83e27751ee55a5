import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { RedisClientType } from '@keyv/redis';
import type { CacheSettings } from './cache-schema';
import type { TeamSettings } from '../team/team-schema';
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
  else shareInvalidations(cache, options.redis, `${options.team.keyPrefix}:cache:invalidate`, options.warn);
  return cache;
}

/**
 * Team mode: an invalidation on one daemon also prunes the memory layer of every other
 * daemon (Redis pub/sub on a second connection, which node-redis resubscribes after a
 * reconnect). Without it, the others would keep serving their copies until the TTL.
 */
function shareInvalidations(cache: ResponseCache, redis: RedisClientType, channel: string, warn: (message: string) => void): void {
  const origin = randomUUID();
  const subscriber = redis.duplicate();
  subscriber.on('error', () => {});
  subscriber
    .connect()
    .then(() =>
      subscriber.subscribe(channel, (message: string) => {
        try {
          const { from, model } = JSON.parse(message) as { from: string; model?: string };
          if (from !== origin) cache.invalidateLocal(model);
        } catch {
          // Not ours.
        }
      }),
    )
    .catch((error: Error) => warn(`cache: cannot subscribe to invalidations (${error.message}); other daemons' deletes reach this one only through the TTL`));
  cache.onInvalidated = (model) => {
    void redis.publish(channel, JSON.stringify({ from: origin, ...(model !== undefined ? { model } : {}) })).catch(() => {});
  };
  cache.onClose(() => subscriber.destroy());
}
