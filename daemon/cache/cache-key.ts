/**
 * The cache key, in two parts.
 *
 * - `index`: a 64-bit structural hash of the request (request-hash.ts), computed for every
 *   request (a few hundred nanoseconds for a short chat, several times less than the digest).
 *   The in-process layers (memory, coalescer, typed-ahead) find candidates by it.
 * - `digest`: the SHA-256 of the canonical text of the request, computed only when needed and
 *   then kept on the key: to store an answer, to confirm a candidate before serving it (two
 *   requests can share an index; in practice never a digest), and to key the backing stores
 *   (the embedded file and Redis), which other daemons and later runs read.
 *
 * Both are correct by construction: built from the whole request minus a short list of fields
 * that cannot change the output, so a field added to GatewayRequest later is part of the key
 * without anyone remembering to add it. Object key order never matters, stop sequences are a
 * set, and `undefined` equals absent.
 */
import { createHash, hash as nodeHash } from 'node:crypto';
import type { GatewayRequest } from '../../shared/gateway';
import type { RoutePlan } from '../core/pipeline';
import { IGNORED_FIELDS, RequestHasher } from './request-hash';

/** The key's version: bump it when the canonical form changes, so old stored entries are never misread. */
const KEY_VERSION = 'k1';

/** What a layer needs to find a candidate by index and to confirm it by digest. */
export interface VerifiableKey {
  readonly index: string;
  readonly digest: string;
}

export class CacheKey implements VerifiableKey {
  /** Computed when first asked for ('' until then: a string from the start, so the field never changes type). */
  private memoDigest = '';

  constructor(
    /** The structural hash: finds candidates in the in-process layers. */
    readonly index: string,
    /** What the request resolved to (a route name or the candidates' `provider/model`), for invalidation by model. */
    readonly target: string,
    /** Read again for the digest: requests are not changed once a door has built them. */
    private readonly request: GatewayRequest,
  ) {}

  /** SHA-256 of the canonical text, base64url: confirms a candidate, keys the backing stores. */
  get digest(): string {
    if (this.memoDigest === '') this.memoDigest = requestDigest(this.request, this.target);
    return this.memoDigest;
  }
}

/** Makes cache keys; one per cache, as it owns the hasher's scratch space. */
export class CacheKeys {
  private readonly hasher = new RequestHasher();

  key(request: GatewayRequest, target: string): CacheKey {
    return new CacheKey(this.hasher.hash(request, target), target, request);
  }
}

/**
 * What the request resolved to. A named route keys by its name; a model named directly keys
 * by the sorted set of `provider/model` candidates, so an alias that is re-pointed to another
 * model never serves the old model's answers.
 */
export function resolvedTarget(plan: RoutePlan, request: GatewayRequest): string {
  if (plan.routeName !== undefined) return `route:${plan.routeName}`;
  if (plan.candidates.length === 0) return `model:${request.model}`;
  if (plan.candidates.length === 1) return plan.candidates[0]!.key;
  return plan.candidates
    .map((candidate) => candidate.key)
    .sort()
    .join(',');
}

/** The digest of a request for a target: what CacheKey.digest computes, once. */
export function requestDigest(request: GatewayRequest, target: string): string {
  return hashCanonical(canonicalRequest(request, target));
}

/**
 * The canonical text of a request for a target. Strings are length-prefixed rather than
 * escaped (cheaper than JSON, and just as unambiguous), object keys are sorted at every depth.
 */
export function canonicalRequest(request: GatewayRequest, target: string): string {
  let out = `${KEY_VERSION}${target.length}:${target}{`;
  const keys = sortedKeys(request);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (IGNORED_FIELDS.has(key)) continue;
    let value = (request as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'params') value = normalizeParams(value as GatewayRequest['params']);
    out += keyPrefix(key) + encode(value);
  }
  return `${out}}`;
}

/** Object keys in code-unit order. Objects here have a handful of keys: an insertion sort beats Array#sort's generic comparator. */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  const count = keys.length;
  if (count > 16) return keys.sort();
  for (let i = 1; i < count; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** `<length>:<key>` for object keys, memoized: requests reuse a small set of field names. */
const keyPrefixes = new Map<string, string>();
function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${key.length}:${key}`;
    if (keyPrefixes.size < 4096) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

function encode(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value.length}:${value}`;
    case 'number':
      return `n${Number.isFinite(value) ? (value === 0 ? 0 : value) : 'x'};`;
    case 'boolean':
      return value ? 't' : 'f';
    case 'object': {
      if (value === null) return 'z';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += value[i] === undefined ? 'z' : encode(value[i]);
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = sortedKeys(record);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const item = record[key];
        if (item === undefined) continue;
        out += keyPrefix(key) + encode(item);
      }
      return `${out}}`;
    }
    default:
      return 'z';
  }
}

/** Stop sequences are a set: order and duplicates do not change the output; an empty list is no list. */
function normalizeParams(params: GatewayRequest['params']): Record<string, unknown> {
  const stop = params.stop;
  if (stop === undefined) return params as Record<string, unknown>;
  const normalized: Record<string, unknown> = { ...params };
  if (stop.length === 0) delete normalized.stop;
  else normalized.stop = [...new Set(stop)].sort();
  return normalized;
}

const hasOneShotHash = typeof nodeHash === 'function';

function hashCanonical(canonical: string): string {
  // crypto.hash (Node >= 20.12) skips the Hash object: about half the cost for short inputs.
  return hasOneShotHash ? nodeHash('sha256', canonical, 'base64url') : createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Requests cached when neither the config nor a header says otherwise: deterministic ones
 * (temperature 0, or a seed) and fill-in-the-middle completions, whose answers editors ask for
 * again and again as the user moves about.
 */
export function isDeterministicOrFim(request: GatewayRequest): boolean {
  if (request.kind === 'completion' && request.suffix !== undefined) return true;
  return request.params.temperature === 0 || request.params.seed !== undefined;
}
