/**
 * The store behind the in-process layer, through keyv: the embedded file store, or Redis
 * (`@keyv/redis`) in team mode. When Redis cannot be reached the embedded store serves
 * instead, the degradation is counted, and Redis is used again as soon as its client is
 * ready. A store problem is never a failed request: the worst case is a cache miss.
 */
import { Keyv } from 'keyv';
import type { RedisClientType } from '@keyv/redis';
import { loadKeyvRedis, withRedisTimeout } from '../team/redis-client';
import { isCachedEntry, type CachedEntry } from './cached-entry';
import type { CacheMetrics } from './cache-metrics';
import type { EmbeddedFileStore } from './embedded-file-store';

/** A Redis call slower than this counts as Redis being down, so a stalled server never stalls requests. */
const REDIS_OP_TIMEOUT_MS = 500;

export type StoreState = 'embedded' | 'redis' | 'degraded';

export interface BackingStoreStatus {
  state: StoreState;
  /** Times Redis went from usable to unusable since start. */
  degradations: number;
  lastError?: string;
  /** ISO time of the last change between Redis and embedded. */
  since: string;
}

export interface BackingStoreOptions {
  embedded: EmbeddedFileStore;
  namespace: string;
  /** The shared Redis client (also used by the budget ledger), when team mode is configured. */
  redis?: RedisClientType;
  metrics: CacheMetrics;
  warn: (message: string) => void;
}

export class BackingStore {
  private readonly embedded: Keyv;
  private readonly team?: Keyv;
  private readonly redis?: RedisClientType;
  private degradedNow = false;
  private degradations = 0;
  private lastError?: string;
  private since = new Date().toISOString();
  private readonly onReady = (): void => this.recovered();
  private readonly onLost = (error?: unknown): void => this.degrade(error instanceof Error ? error : new Error('Redis connection lost'));
  private probeTimer?: NodeJS.Timeout;

  constructor(private readonly options: BackingStoreOptions) {
    this.embedded = new Keyv({ store: options.embedded, namespace: options.namespace, throwOnErrors: true });
    this.embedded.on('error', () => {});
    if (options.redis !== undefined) {
      this.redis = options.redis;
      const KeyvRedis = loadKeyvRedis().default;
      const adapter = new KeyvRedis(options.redis, { throwOnErrors: true, throwOnConnectError: true, connectionTimeout: REDIS_OP_TIMEOUT_MS });
      this.team = new Keyv({ store: adapter, namespace: options.namespace, throwOnErrors: true });
      this.team.on('error', () => {});
      options.redis.on('ready', this.onReady);
      // Say so when the connection drops, not only when a lookup next needs Redis.
      options.redis.on('error', this.onLost);
      options.redis.on('reconnecting', this.onLost);
      if (!options.redis.isReady) this.degrade(new Error('Redis is not connected yet'));
    }
    options.metrics.degraded.labels('redis').set(this.degradedNow ? 1 : 0);
  }

  status(): BackingStoreStatus {
    return {
      state: this.team === undefined ? 'embedded' : this.degradedNow ? 'degraded' : 'redis',
      degradations: this.degradations,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      since: this.since,
    };
  }

  /** Keys are the cache key's hash (SHA-256 of the canonical request, base64url). */
  async get(hash: string): Promise<CachedEntry | undefined> {
    const value = await this.run((keyv) => keyv.get(hash));
    return isCachedEntry(value) ? value : undefined;
  }

  async set(hash: string, entry: CachedEntry, ttlMs: number): Promise<void> {
    await this.run((keyv) => keyv.set(hash, entry, ttlMs));
  }

  async delete(hashes: string[]): Promise<void> {
    if (hashes.length === 0) return;
    await this.run((keyv) => keyv.delete(hashes));
  }

  /**
   * Deletes the entries the predicate selects from the team store (scanning it; an admin
   * operation). The embedded store mirrors the memory layer, which the caller already pruned.
   */
  async deleteWhere(predicate: (value: unknown) => boolean): Promise<number> {
    const keyv = this.active();
    if (keyv === this.embedded || keyv.iterator === undefined) return 0;
    const doomed: string[] = [];
    try {
      for await (const [key, value] of keyv.iterator(this.options.namespace) as AsyncIterable<[string, unknown]>) {
        if (predicate(value)) doomed.push(key);
      }
      if (doomed.length > 0) await keyv.delete(doomed);
    } catch (error) {
      this.degrade(error);
    }
    return doomed.length;
  }

  /** The entries the embedded file held at start, as [hash, value, expiresAt], oldest first. */
  *embeddedEntries(): IterableIterator<[string, unknown, number]> {
    const prefix = `${this.options.namespace}:`;
    for (const [key, serialized] of this.options.embedded.rawEntries()) {
      if (!key.startsWith(prefix)) continue;
      try {
        const data = JSON.parse(serialized) as { value?: unknown; expires?: number | null };
        yield [key.slice(prefix.length), data.value, typeof data.expires === 'number' ? data.expires : Number.MAX_SAFE_INTEGER];
      } catch {
        // An unreadable value is skipped, as a miss.
      }
    }
  }

  /** Clears both stores: entries written to the embedded one while Redis was down must not come back either. */
  async clear(): Promise<void> {
    await this.embedded.clear();
    if (this.team !== undefined) await this.run((keyv) => keyv.clear());
  }

  /** Stops listening to the shared client; the owner of the client closes it. Flushes the embedded file. */
  async close(): Promise<void> {
    this.redis?.off('ready', this.onReady);
    this.redis?.off('error', this.onLost);
    this.redis?.off('reconnecting', this.onLost);
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    await this.options.embedded.disconnect();
  }

  private active(): Keyv {
    if (this.team === undefined || this.degradedNow) return this.embedded;
    return this.team;
  }

  private async run<T>(operation: (keyv: Keyv) => Promise<T>): Promise<T | undefined> {
    const keyv = this.active();
    if (keyv === this.embedded) return operation(keyv);
    if (this.redis !== undefined && !this.redis.isReady) {
      this.degrade(new Error('Redis connection lost'));
      return operation(this.embedded);
    }
    try {
      return await withRedisTimeout(operation(keyv), REDIS_OP_TIMEOUT_MS);
    } catch (error) {
      this.degrade(error);
      return operation(this.embedded);
    }
  }

  private degrade(error: unknown): void {
    this.lastError = (error as Error).message;
    if (this.degradedNow) return;
    this.degradedNow = true;
    this.degradations++;
    this.since = new Date().toISOString();
    this.options.metrics.degradations.labels('redis').inc();
    this.options.metrics.degraded.labels('redis').set(1);
    this.options.warn(`cache: Redis unavailable (${this.lastError}); serving from the embedded store until it returns`);
    // A reconnect emits 'ready'; a server that stalled without dropping the connection does not, so ask it.
    this.probeTimer ??= setInterval(() => this.probe(), 1000);
    this.probeTimer.unref();
  }

  private probe(): void {
    const redis = this.redis;
    if (redis === undefined || !redis.isReady) return;
    withRedisTimeout(redis.ping(), REDIS_OP_TIMEOUT_MS).then(
      () => this.recovered(),
      () => {},
    );
  }

  private recovered(): void {
    if (!this.degradedNow) return;
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    this.degradedNow = false;
    this.since = new Date().toISOString();
    this.options.metrics.degraded.labels('redis').set(0);
    this.options.warn('cache: Redis is back; the team store serves again');
  }
}
