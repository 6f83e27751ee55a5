/**
 * Typed-ahead reuse for fill-in-the-middle. A completion C was returned for (prefix P,
 * suffix S); the user then types T, the first characters of C, and the editor asks again
 * with (P+T, S). The answer is the rest of C, with no upstream call. Editors do this inside
 * their own client; doing it in the gateway serves every client, over every door.
 *
 * Entries are grouped by everything in the request except the prompt (the suffix, target,
 * sampling parameters...), so a lookup only compares prompts of requests that would
 * otherwise have been identical. Groups are found by the key's index and confirmed by its
 * digest before anything is served, as another context can share the index.
 */
import type { GatewayRequest, GatewayResponse } from '../../shared/gateway';
import type { CacheKey, CacheKeys, VerifiableKey } from './cache-key';
import { MemoryLru } from './memory-lru';

/** Recent completions kept for one (suffix, target, parameters) context. */
const PER_CONTEXT = 4;

/**
 * Editors send a window of the text before the cursor, so as the user types, the window's
 * start can move on too: the new prefix is then the tail of P+T rather than P+T itself.
 * That is recognized only for prefixes at least this long, so a short prefix can never
 * match someone else's text by accident.
 */
const MIN_SLIDING_PREFIX = 128;

export interface TypedAheadSource {
  prompt: string;
  response: GatewayResponse;
  provider: string;
  model: string;
}

export interface TypedAheadHit {
  /** The part of the earlier completion the user has not typed yet. */
  rest: string;
  source: TypedAheadSource;
}

/** The recent completions of one context, and the digest that tells it from another with the same index. */
interface TypedAheadContext {
  digest: string;
  sources: TypedAheadSource[];
}

export class TypedAheadIndex {
  private readonly contexts: MemoryLru<TypedAheadContext>;

  constructor(
    private readonly ttlMs: number,
    maxContexts: number,
    maxBytes: number,
    /** Told when a context found by index turns out to be another one (its digest differs). */
    private readonly onCollision: () => void = () => {},
  ) {
    this.contexts = new MemoryLru({ maxEntries: maxContexts, maxBytes });
  }

  /** The context key of a fill-in-the-middle request, or undefined for any other request. */
  static contextKey(keys: CacheKeys, request: GatewayRequest, target: string): CacheKey | undefined {
    if (request.kind !== 'completion' || request.suffix === undefined || request.prompt === undefined) return undefined;
    return keys.key({ ...request, prompt: undefined }, target);
  }

  record(contextKey: VerifiableKey, source: TypedAheadSource): void {
    if (source.response.text.length === 0 || source.response.toolCalls !== undefined) return;
    const now = Date.now();
    const digest = contextKey.digest;
    const found = this.contexts.get(contextKey.index, now);
    // Another context under the same index gives way: one index holds one context.
    const previous = found !== undefined && found.digest === digest ? found.sources : [];
    const sources = [source, ...previous.filter((item) => item.prompt !== source.prompt)].slice(0, PER_CONTEXT);
    let bytes = 64 + digest.length * 2;
    for (const item of sources) bytes += (item.prompt.length + item.response.text.length) * 2 + 128;
    this.contexts.set(contextKey.index, { digest, sources }, bytes, now + this.ttlMs);
  }

  /** The rest of an earlier completion that the prompt has started typing, if any. */
  lookup(contextKey: VerifiableKey, prompt: string): TypedAheadHit | undefined {
    const context = this.contexts.get(contextKey.index);
    if (context === undefined) return undefined;
    const hit = typedAheadIn(context.sources, prompt);
    // Only a hit is worth the digest; a candidate from another context is a miss.
    if (hit === undefined || context.digest === contextKey.digest) return hit;
    this.onCollision();
    return undefined;
  }

  clear(): void {
    this.contexts.clear();
  }

  get size(): number {
    return this.contexts.size;
  }
}

/** The rest of an earlier completion among `sources` that the prompt has started typing, if any. */
function typedAheadIn(sources: TypedAheadSource[], prompt: string): TypedAheadHit | undefined {
  for (const source of sources) {
    const typedLength = prompt.length - source.prompt.length;
    const completion = source.response.text;
    // Something typed, something left, and what was typed is exactly the start of the completion.
    if (typedLength <= 0 || typedLength >= completion.length) continue;
    if (!prompt.startsWith(source.prompt)) continue;
    if (!completion.startsWith(prompt.slice(source.prompt.length))) continue;
    return { rest: completion.slice(typedLength), source };
  }
  if (prompt.length >= MIN_SLIDING_PREFIX) {
    for (const source of sources) {
      const typed = slidingTyped(source, prompt);
      if (typed !== undefined) return { rest: source.response.text.slice(typed), source };
    }
  }
  return undefined;
}

/**
 * How many characters of the completion were typed when the prompt is the tail of
 * (earlier prompt + typed text), the window having moved on; undefined if it is not.
 * The shortest typed text that fits wins (the user typed least).
 */
function slidingTyped(source: TypedAheadSource, prompt: string): number | undefined {
  const completion = source.response.text;
  const limit = Math.min(completion.length - 1, prompt.length);
  for (let typed = 1; typed <= limit; typed++) {
    if (prompt.charCodeAt(prompt.length - 1) !== completion.charCodeAt(typed - 1)) continue;
    if (!prompt.endsWith(completion.slice(0, typed))) continue;
    const before = prompt.length - typed;
    // The rest of the prompt must be the tail of the earlier prompt, and not all of it (that is the exact case).
    if (before >= source.prompt.length) continue;
    if (source.prompt.endsWith(prompt.slice(0, before))) return typed;
  }
  return undefined;
}
