/**
 * Opens the daemon's stores from the config's `[cache]`, `[team]` and `[[budgets]]` sections:
 * the response cache, the budget service, and the Redis connection they share in team mode.
 * One owner closes all three.
 */
import type { Registry } from 'prom-client';
import { resolveBudgets } from '../budgets/budgets-schema';
import { resolveCacheSettings } from '../cache/cache-schema';
import { resolveTeamSettings } from '../team/team-schema';
import type { BudgetService } from '../budgets/budget-service';
import { openBudgets } from '../budgets/open-budgets';
import { openResponseCache } from '../cache/open-cache';
import { connectRedis, type RedisConnection } from '../team/redis-client';
import type { ResponseCache } from '../cache/response-cache';

export interface CacheAndBudgetsOptions {
  /** The validated config file's sections (unparsed by the core). */
  file: { cache?: unknown; budgets?: unknown[]; team?: unknown };
  sourcePath?: string;
  stateDir: string;
  registry: Registry;
  warn: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface CacheAndBudgets {
  cache?: ResponseCache;
  budgets?: BudgetService;
  close(): Promise<void>;
}

/** Throws a ConfigError (naming the key) before anything is opened when a section is invalid. */
export async function openCacheAndBudgets(options: CacheAndBudgetsOptions): Promise<CacheAndBudgets> {
  const cacheSettings = resolveCacheSettings(options.file.cache, options.stateDir, options.sourcePath);
  const team = resolveTeamSettings(options.file.team, options.env ?? process.env, options.sourcePath);
  const definitions = resolveBudgets(options.file.budgets, options.sourcePath);

  let redis: RedisConnection | undefined;
  if (team.redisUrl !== undefined && (cacheSettings.enabled || definitions.length > 0)) {
    redis = connectRedis(team.redisUrl, options.warn);
    await redis.firstAttempt;
  }
  const cache = cacheSettings.enabled
    ? openResponseCache({ settings: cacheSettings, team, ...(redis ? { redis: redis.client } : {}), registry: options.registry, warn: options.warn })
    : undefined;
  const budgets = openBudgets({
    definitions,
    stateDir: options.stateDir,
    ...(redis ? { redis: redis.client } : {}),
    keyPrefix: team.keyPrefix,
    registry: options.registry,
    warn: options.warn,
  });
  let closing: Promise<void> | undefined;
  return {
    ...(cache ? { cache } : {}),
    ...(budgets ? { budgets } : {}),
    close() {
      closing ??= (async () => {
        await Promise.allSettled([cache?.close(), budgets?.close()]);
        await redis?.close();
      })();
      return closing;
    },
  };
}
