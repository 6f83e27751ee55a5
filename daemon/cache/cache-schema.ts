/**
 * The `[cache]` and `[team]` sections of the config file (snake_case, as written in TOML),
 * and their resolution into the settings the cache uses.
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
 *
 *   [team]
 *   redis_url = "redis://127.0.0.1:6379"   # shared cache and budget ledger
 *   key_prefix = "switchyard"
 */
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { ConfigError } from '../config/config-error';
import { schemaProblems } from '../config/validate';

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

export const TeamSection = Type.Object(
  {
    redis_url: Type.Optional(Type.String({ pattern: '^rediss?://' })),
    key_prefix: Type.Optional(Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.:-]+$' })),
  },
  { additionalProperties: false },
);
export type TeamSection = Static<typeof TeamSection>;

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

export interface TeamSettings {
  redisUrl?: string;
  keyPrefix: string;
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

/** Validates `[team]`; `SWITCHYARD_REDIS_URL` in the environment overrides the file. */
export function resolveTeamSettings(value: unknown, env: NodeJS.ProcessEnv = process.env, sourcePath?: string): TeamSettings {
  const problems = schemaProblems(TeamSection, value ?? {}, 'team');
  if (problems.length > 0) throw new ConfigError(problems, sourcePath);
  const section = (value ?? {}) as TeamSection;
  const fromEnv = env.SWITCHYARD_REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== '' && !/^rediss?:\/\//.test(fromEnv)) {
    throw new ConfigError([`SWITCHYARD_REDIS_URL: got ${JSON.stringify(fromEnv)}, expected a redis:// or rediss:// URL`], sourcePath);
  }
  const redisUrl = fromEnv !== undefined && fromEnv !== '' ? fromEnv : section.redis_url;
  return { ...(redisUrl !== undefined ? { redisUrl } : {}), keyPrefix: section.key_prefix ?? 'switchyard' };
}
