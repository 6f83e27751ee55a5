import { Counter, Gauge, type Registry } from 'prom-client';
import type { CacheStatus } from '../core/pipeline';

/** The cache's Prometheus metrics, registered in the daemon's registry (never the global one). */
export class CacheMetrics {
  readonly lookups: Counter<'status'>;
  readonly typedAheadHits: Counter;
  readonly degradations: Counter<'store'>;
  readonly degraded: Gauge<'store'>;
  readonly entries: Gauge;
  readonly bytes: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.lookups = new Counter({
      name: 'switchyard_cache_requests_total',
      help: 'Requests seen by the response cache, by outcome (HIT, MISS, COALESCED, BYPASS)',
      labelNames: ['status'] as const,
      registers,
    });
    this.typedAheadHits = new Counter({
      name: 'switchyard_cache_typed_ahead_hits_total',
      help: 'Fill-in-the-middle requests answered from the rest of an earlier completion the user is typing',
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
    this.entries = new Gauge({ name: 'switchyard_cache_entries', help: 'Entries in the in-process cache layer', registers });
    this.bytes = new Gauge({ name: 'switchyard_cache_bytes', help: 'Approximate bytes in the in-process cache layer', registers });
  }

  private readonly byStatus = new Map<CacheStatus, { inc(): void }>();

  /** Children bound once: `labels()` on every request would hash the label set each time. */
  count(status: CacheStatus): void {
    let child = this.byStatus.get(status);
    if (child === undefined) {
      child = this.lookups.labels(status);
      this.byStatus.set(status, child);
    }
    child.inc();
  }
}
