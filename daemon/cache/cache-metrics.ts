import { Counter, Gauge, type Registry } from 'prom-client';
import type { CacheStatus } from '../core/pipeline';

/** The cache's Prometheus metrics, registered in the daemon's registry (never the global one). */
export class CacheMetrics {
  readonly lookups: Counter<'status' | 'store'>;
  readonly typedAheadHits: Counter;
  readonly keyCollisions: Counter;
  readonly degradations: Counter<'store'>;
  readonly degraded: Gauge<'store'>;
  readonly entries: { set(value: number): void };
  readonly bytes: { set(value: number): void };

  constructor(registry: Registry) {
    const registers = [registry];
    this.lookups = new Counter({
      name: 'switchyard_cache_requests_total',
      help: 'Requests seen by the response cache, by outcome (HIT, MISS, COALESCED, BYPASS) and store: the one that answered a HIT (memory, typed_ahead, redis), the last one asked on a MISS, memory for a request joined to one in flight, none for BYPASS',
      labelNames: ['status', 'store'] as const,
      registers,
    });
    this.typedAheadHits = new Counter({
      name: 'switchyard_cache_typed_ahead_hits_total',
      help: 'Fill-in-the-middle requests answered from the rest of an earlier completion the user is typing',
      registers,
    });
    this.keyCollisions = new Counter({
      name: 'switchyard_cache_key_collisions_total',
      help: 'Cached answers or calls in flight found by a request\'s 64-bit index that belonged to another request (their SHA-256 digests differ), each treated as a miss',
      registers,
    });
    this.degradations = new Counter({
      name: 'switchyard_cache_store_degradations_total',
      help: 'Times the team store (Redis) became unreachable and the cache fell back to the embedded store',
      labelNames: ['store'] as const,
      registers,
    });
    this.degraded = new Gauge({
      name: 'switchyard_cache_store_degraded',
      help: '1 while the team store (Redis) is unreachable and the embedded store serves instead',
      labelNames: ['store'] as const,
      registers,
    });
    this.entries = new Gauge({ name: 'switchyard_cache_entries', help: 'Entries in a cache store (the in-process layer: store="memory")', labelNames: ['store'] as const, registers }).labels('memory');
    this.bytes = new Gauge({ name: 'switchyard_cache_size_bytes', help: 'Approximate bytes in a cache store (the in-process layer: store="memory")', labelNames: ['store'] as const, registers }).labels('memory');
  }

  private readonly byStatus = new Map<string, { inc(): void }>();

  /** Children bound once: `labels()` on every request would hash the label set each time. */
  count(status: CacheStatus, store: CacheStore): void {
    const key = STATUS_STORE_KEYS[status][store];
    let child = this.byStatus.get(key);
    if (child === undefined) {
      child = this.lookups.labels(status, store);
      this.byStatus.set(key, child);
    }
    child.inc();
  }
}

/** Where a cache lookup was answered (or, on a miss, the last store asked). */
export type CacheStore = 'memory' | 'typed_ahead' | 'redis' | 'none';

const STORES: readonly CacheStore[] = ['memory', 'typed_ahead', 'redis', 'none'];
/** Map keys made once, so counting builds no string per request. */
const STATUS_STORE_KEYS = Object.fromEntries(
  (['HIT', 'MISS', 'COALESCED', 'BYPASS'] as const).map((status) => [status, Object.fromEntries(STORES.map((store) => [store, `${status}/${store}`]))]),
) as Record<CacheStatus, Record<CacheStore, string>>;
