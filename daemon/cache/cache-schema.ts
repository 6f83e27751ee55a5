/**
 * The `[cache]` section of the config file (snake_case, as written in TOML), and its
 * resolution into the settings the cache uses.
 *
 *   [cache]
 *   enabled = true               # false turns the response cache off entirely
 *   default = "deterministic"    # what is cached without a header: "deterministic" | "all" | "none"
 *   ttl_seconds = 3600
 *   max_entries = 10000
 *   max_bytes = 67108864
 *   typed_ahead = true
 *   persist = true               # keep the embedded cache in a file (0600) across restarts
 *   file = "/path/cache.json"    # default: <state dir>/cache.json
 */
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { ConfigError } from '../core/config-error';
import { schemaProblems } from '../core/config-validate';

export const CacheSection = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Union([Type.Literal('deterministic'), Type.Literal('all'), Type.Literal('none')])),
    ttl_seconds: Type.Optional(Type.Integer({ minimum: 1 })),
    max_entries: Type.Optional(Type.Integer({ minimum: 1 })),
    max_bytes: Type.Optional(Type.Integer({ minimum: 1024 })),
    typed_ahead: Type.Optional(Type.Boolean()),
    persist: Type.Optional(Type.Boolean()),
    file: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type CacheSection = Static<typeof CacheSection>;

export type CacheDefault = 'deterministic' | 'all' | 'none';

export interface CacheSettings {
  enabled: boolean;
  defaultPolicy: CacheDefault;
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
  typedAhead: boolean;
  /** The embedded store's file, or undefined to keep the embedded cache in memory only. */
  file?: string;
}

export const CACHE_DEFAULTS = {
  ttlSeconds: 3600,
  maxEntries: 10_000,
  maxBytes: 64 * 1024 * 1024,
} as const;

/** Validates `[cache]`; throws a ConfigError naming the key. */
export function resolveCacheSettings(value: unknown, stateDir: string, sourcePath?: string): CacheSettings {
  const section = (value ?? {}) as CacheSection;
  const problems = schemaProblems(CacheSection, value ?? {}, 'cache');
  if (problems.length > 0) throw new ConfigError(problems, sourcePath);
  const persist = section.persist ?? true;
  return {
    enabled: section.enabled ?? true,
    defaultPolicy: section.default ?? 'deterministic',
    ttlMs: (section.ttl_seconds ?? CACHE_DEFAULTS.ttlSeconds) * 1000,
    maxEntries: section.max_entries ?? CACHE_DEFAULTS.maxEntries,
    maxBytes: section.max_bytes ?? CACHE_DEFAULTS.maxBytes,
    typedAhead: section.typed_ahead ?? true,
    ...(persist ? { file: section.file ?? join(stateDir, 'cache.json') } : {}),
  };
}
