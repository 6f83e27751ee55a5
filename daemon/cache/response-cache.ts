/**
 * The response cache around executePlan: decides whether a request may use the cache,
 * answers from the in-process layer, an identical request in flight, an earlier completion
 * the user is typing (fill-in-the-middle), or the backing store, and otherwise runs the
 * plan once for every identical caller and stores the complete answer.
 *
 * Never stored: errors, streams that did not reach their end (client gone, upstream died),
 * and anything a budget rejected (that is an error too).
 */
import type { GatewayRequest, Usage } from '../../shared/gateway';
import type { CacheStatus, GatewayResult, RequestContext, RoutePlan } from '../core/pipeline';
import { estimateRequestTokens, estimateTokens } from '../core/token-estimate';
import type { CacheSettings } from './cache-schema';
import { BackingStore, type BackingStoreStatus } from './backing-store';
import { CacheKeys, isDeterministicOrFim, resolvedTarget, type CacheKey } from './cache-key';
import { entryBytes, isCachedEntry, resultFromResponse, type CachedEntry } from './cached-entry';
import type { CacheMetrics } from './cache-metrics';
import { Coalescer, type CompletedCall } from './coalescer';
import { MemoryLru } from './memory-lru';
import { TypedAheadIndex } from './typed-ahead';

export type ExecutePlan = (context: RequestContext) => Promise<GatewayResult>;

export interface CacheStatusReport {
  enabled: boolean;
  default: CacheSettings['defaultPolicy'];
  entries: number;
  bytes: number;
  maxEntries: number;
  maxBytes: number;
  ttlSeconds: number;
  inFlight: number;
  typedAheadContexts: number;
  store: BackingStoreStatus;
}

/** An answer the cache had at once (`lookup`). */
export interface CacheLookup {
  result: GatewayResult;
  /** The rest of an earlier completion the user is typing, rather than an entry for this very request. */
  typedAhead: boolean;
}

export interface ResponseCacheDeps {
  settings: CacheSettings;
  store: BackingStore;
  metrics: CacheMetrics;
  /** True when the backing store is shared with other daemons (Redis): memory misses ask it. */
  shared: boolean;
  /** Makes the keys; a new CacheKeys by default (a test gives one whose indexes collide). */
  keys?: CacheKeys;
}

/**
 * An entry of the memory layer, under its key's index, with the digest that confirms it
 * belongs to the request asking (and keys it in the backing store). Entries restored from the
 * embedded file at start are under their digest until a request asks for them: the file keeps
 * digests, not indexes.
 */
interface MemoryEntry {
  entry: CachedEntry;
  digest: string;
}

export class ResponseCache {
  private readonly memory: MemoryLru<MemoryEntry>;
  private readonly coalescer = new Coalescer();
  private readonly typedAhead?: TypedAheadIndex;
  private readonly keys: CacheKeys;
  private readonly settings: CacheSettings;
  private readonly closers: Array<() => void | Promise<void>> = [];
  /** Until then, entries restored at start may still be in memory under their digest (the last one's expiry). */
  private restoredUntil = 0;

  constructor(private readonly deps: ResponseCacheDeps) {
    this.settings = deps.settings;
    this.keys = deps.keys ?? new CacheKeys();
    this.memory = new MemoryLru<MemoryEntry>({
      maxEntries: deps.settings.maxEntries,
      maxBytes: deps.settings.maxBytes,
      // The embedded store mirrors the memory layer, so its file stays within the same bounds.
      onEvict: deps.shared ? undefined : (_key, evicted) => void deps.store.delete([evicted.digest]).catch(() => {}),
    });
    if (deps.settings.typedAhead) {
      const contexts = Math.max(16, Math.ceil(deps.settings.maxEntries / 4));
      this.typedAhead = new TypedAheadIndex(deps.settings.ttlMs, contexts, Math.ceil(deps.settings.maxBytes / 4), () => deps.metrics.keyCollisions.inc());
    }
  }

  /** Fills the memory layer from entries a store kept across a restart (keyed by digest). */
  warm(entries: Iterable<[string, unknown, number]>): number {
    let count = 0;
    const now = Date.now();
    for (const [digest, value, expiresAt] of entries) {
      if (!isCachedEntry(value) || expiresAt <= now) continue;
      if (this.memory.set(digest, { entry: value, digest }, entryBytes(value, digest.length), expiresAt)) {
        this.restoredUntil = Math.max(this.restoredUntil, expiresAt);
      }
      count++;
    }
    this.updateGauges();
    return count;
  }

  /** Whether this request may be answered from, and stored in, the cache. */
  usesCache(request: GatewayRequest, context: RequestContext): boolean {
    if (!this.settings.enabled) return false;
    const directive = context.directives.cache;
    if (directive === 'off') return false;
    if (directive === 'on') return true;
    if (this.settings.defaultPolicy === 'all') return true;
    if (this.settings.defaultPolicy === 'none') return false;
    return isDeterministicOrFim(request);
  }

  async handle(request: GatewayRequest, plan: RoutePlan, context: RequestContext, execute: ExecutePlan): Promise<GatewayResult> {
    if (!this.usesCache(request, context)) {
      this.deps.metrics.count('BYPASS', 'none');
      const result = await execute(context);
      result.servedBy.cache = 'BYPASS';
      return result;
    }
    const target = resolvedTarget(plan, request);
    const key = this.keys.key(request, target);

    const cached = this.fromMemory(key);
    if (cached !== undefined) return this.hit(cached, request.stream);

    const inFlight = this.coalescer.get(key.index);
    if (inFlight !== undefined && this.confirmed(inFlight.key.digest, key)) {
      this.deps.metrics.count('COALESCED', 'memory');
      return inFlight.join(request.stream, context.signal, 'COALESCED');
    }

    const contextKey = this.typedAhead !== undefined ? TypedAheadIndex.contextKey(this.keys, request, target) : undefined;
    const typed = this.typedAheadHit(request, contextKey);
    if (typed !== undefined) return typed;

    const estimate = (): Usage => ({ promptTokens: estimateRequestTokens(request), completionTokens: 0 });
    const call = this.coalescer.start(
      key,
      request.model,
      estimate,
      async (signal) => {
        if (this.deps.shared) {
          const digest = key.digest;
          const stored = await this.deps.store.get(digest).catch(() => undefined);
          if (stored !== undefined) {
            this.memory.set(key.index, { entry: stored, digest }, entryBytes(stored, key.index.length + digest.length), stored.storedAt + this.settings.ttlMs);
            return { result: resultFromResponse(stored.response, request.stream, stored, 'HIT'), status: 'HIT' as CacheStatus };
          }
        }
        return { result: await execute({ ...context, signal }), status: 'MISS' as CacheStatus };
      },
      (completed) => this.store(key, target, request, contextKey, completed),
    );
    const result = await call.join(request.stream, context.signal, 'LEADER');
    this.deps.metrics.count(result.servedBy.cache, this.deps.shared ? 'redis' : 'memory');
    return result;
  }

  /**
   * What the cache can answer at once, without calling upstream or waiting for a call in
   * flight: an entry in memory, or the rest of an earlier completion the prompt has started
   * to type. Undefined on a miss. An editor asks this before it debounces, so a hit is shown
   * without delay; on a miss it waits, then calls `handle` as usual.
   */
  lookup(request: GatewayRequest, plan: RoutePlan, context: RequestContext): CacheLookup | undefined {
    if (!this.usesCache(request, context)) return undefined;
    const target = resolvedTarget(plan, request);
    const cached = this.fromMemory(this.keys.key(request, target));
    if (cached !== undefined) return { result: this.hit(cached, request.stream), typedAhead: false };
    const contextKey = this.typedAhead !== undefined ? TypedAheadIndex.contextKey(this.keys, request, target) : undefined;
    const typed = this.typedAheadHit(request, contextKey);
    return typed === undefined ? undefined : { result: typed, typedAhead: true };
  }

  /**
   * Removes every entry, or those served by or routed to `model` (`model`, `provider/model`
   * or a route name), here and in the backing store, and tells the other daemons of a team.
   */
  async invalidate(model?: string): Promise<number> {
    this.typedAhead?.clear();
    let count: number;
    if (model === undefined) {
      count = this.memory.size;
      this.memory.clear();
      this.restoredUntil = 0;
      await this.deps.store.clear();
    } else {
      const removed = this.memory.deleteWhere(({ entry }) => entryMatches(entry, model));
      await this.deps.store.delete(removed.map(({ digest }) => digest));
      const fromStore = await this.deps.store.deleteWhere((value) => isCachedEntry(value) && entryMatches(value, model));
      count = Math.max(removed.length, fromStore);
    }
    this.updateGauges();
    this.onInvalidated?.(model);
    return count;
  }

  /** Set in team mode: tells the other daemons about an invalidation. */
  onInvalidated?: (model: string | undefined) => void;

  /** Prunes this daemon's memory layer only: another daemon has already cleared the shared store. */
  invalidateLocal(model?: string): void {
    this.typedAhead?.clear();
    if (model === undefined) this.memory.clear();
    else this.memory.deleteWhere(({ entry }) => entryMatches(entry, model));
    this.updateGauges();
  }

  /** Runs `closer` when the cache closes (team mode's subscriber connection). */
  onClose(closer: () => void | Promise<void>): void {
    this.closers.push(closer);
  }

  status(): CacheStatusReport {
    return {
      enabled: this.settings.enabled,
      default: this.settings.defaultPolicy,
      entries: this.memory.size,
      bytes: this.memory.bytes,
      maxEntries: this.settings.maxEntries,
      maxBytes: this.settings.maxBytes,
      ttlSeconds: Math.round(this.settings.ttlMs / 1000),
      inFlight: this.coalescer.inFlight,
      typedAheadContexts: this.typedAhead?.size ?? 0,
      store: this.deps.store.status(),
    };
  }

  async close(): Promise<void> {
    const closers = this.closers.splice(0);
    for (const closer of closers) await closer();
    await this.deps.store.close();
  }

  /**
   * The memory layer's entry for the key: found by index and confirmed by digest (a hit saves
   * a model call, so it is worth the SHA-256), or, while entries restored at start remain,
   * found by digest and moved under the index.
   */
  private fromMemory(key: CacheKey): CachedEntry | undefined {
    const found = this.memory.get(key.index);
    if (found !== undefined) return this.confirmed(found.digest, key) ? found.entry : undefined;
    if (this.restoredUntil <= Date.now()) return undefined;
    return this.memory.rename(key.digest, key.index)?.entry;
  }

  /** Whether a candidate found by the key's index is this very request; counted when it is another. */
  private confirmed(candidateDigest: string, key: CacheKey): boolean {
    if (candidateDigest === key.digest) return true;
    this.deps.metrics.keyCollisions.inc();
    return false;
  }

  /** The rest of an earlier completion whose first characters the request's prompt has typed, if any. */
  private typedAheadHit(request: GatewayRequest, contextKey: CacheKey | undefined): GatewayResult | undefined {
    if (contextKey === undefined || request.prompt === undefined) return undefined;
    const typed = this.typedAhead!.lookup(contextKey, request.prompt);
    if (typed === undefined) return undefined;
    this.deps.metrics.typedAheadHits.inc();
    this.deps.metrics.count('HIT', 'typed_ahead');
    const { source } = typed;
    const response = {
      ...source.response,
      text: typed.rest,
      usage: { promptTokens: estimateRequestTokens(request), completionTokens: estimateTokens(typed.rest), estimated: true },
    };
    return resultFromResponse(response, request.stream, source, 'HIT');
  }

  private hit(entry: CachedEntry, stream: boolean): GatewayResult {
    this.deps.metrics.count('HIT', 'memory');
    return resultFromResponse(entry.response, stream, entry, 'HIT');
  }

  private store(key: CacheKey, target: string, request: GatewayRequest, contextKey: CacheKey | undefined, completed: CompletedCall): void {
    const { response, servedBy } = completed;
    const entry: CachedEntry = { response, provider: servedBy.provider, model: servedBy.model, target, storedAt: Date.now() };
    if (contextKey !== undefined && request.prompt !== undefined) {
      this.typedAhead!.record(contextKey, { prompt: request.prompt, response, provider: servedBy.provider, model: servedBy.model });
    }
    if (completed.status === 'HIT') return;
    const digest = key.digest;
    if (this.memory.set(key.index, { entry, digest }, entryBytes(entry, key.index.length + digest.length), entry.storedAt + this.settings.ttlMs)) {
      void this.deps.store.set(digest, entry, this.settings.ttlMs).catch(() => {});
    }
    this.updateGauges();
  }

  private updateGauges(): void {
    this.deps.metrics.entries.set(this.memory.size);
    this.deps.metrics.bytes.set(this.memory.bytes);
  }
}

function entryMatches(entry: CachedEntry, model: string): boolean {
  return (
    entry.model === model ||
    `${entry.provider}/${entry.model}` === model ||
    entry.target === `route:${model}` ||
    entry.target.split(',').includes(model)
  );
}
