/**
 * The cache key: a stable hash of the normalized request.
 *
 * Correct by construction: the key is built from the whole request minus a short list of
 * fields that cannot change the output, so a field added to GatewayRequest later is part of
 * the key without anyone remembering to add it. Object keys are sorted at every depth (JSON
 * key order never matters), stop sequences are a set, and `undefined` equals absent.
 */
import { createHash, hash as nodeHash } from 'node:crypto';
import type { GatewayRequest } from '../../shared/gateway';
import type { RoutePlan } from '../core/pipeline';

/** Fields of GatewayRequest that do not change what the model produces. */
const IGNORED_FIELDS = new Set(['stream', 'keepAlive', 'model', 'user']);

/** The key's version: bump it when the canonical form changes, so old stored entries are never misread. */
const KEY_VERSION = 'k1';

export interface CacheKey {
  /** base64url SHA-256 of the canonical form: what the stores index by. */
  hash: string;
  /** What the request resolved to (a route name or the candidates' `provider/model`), for invalidation by model. */
  target: string;
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

export function cacheKey(request: GatewayRequest, target: string): CacheKey {
  return { hash: hashCanonical(canonicalRequest(request, target)), target };
}

/** The canonical text of a request for a target. Two requests have the same text exactly when they must share a cache entry. */
export function canonicalRequest(request: GatewayRequest, target: string): string {
  let out = `${KEY_VERSION}\u0000${target}\u0000{`;
  const keys = Object.keys(request).sort();
  let first = true;
  for (const key of keys) {
    if (IGNORED_FIELDS.has(key)) continue;
    let value = (request as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'params') value = normalizeParams(value as GatewayRequest['params']);
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(value)}`;
    first = false;
  }
  return `${out}}`;
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

/** JSON with object keys sorted at every depth and `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value === 0 ? 0 : value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item = value[i] as unknown;
          out += (i === 0 ? '' : ',') + (item === undefined ? 'null' : canonicalJson(item));
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return 'null';
  }
}

const hasOneShotHash = typeof nodeHash === 'function';

export function hashCanonical(canonical: string): string {
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
