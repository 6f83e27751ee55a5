/**
 * The `[team]` section of the config file: the Redis server a team's daemons share for the
 * response cache and the budget ledger.
 *
 *   [team]
 *   redis_url = "redis://127.0.0.1:6379"   # shared cache and budget ledger
 *   key_prefix = "switchyard"
 */
import { Type, type Static } from '@sinclair/typebox';
import { ConfigError } from '../core/config-error';
import { schemaProblems } from '../core/config-validate';

export const TeamSection = Type.Object(
  {
    redis_url: Type.Optional(Type.String({ pattern: '^rediss?://' })),
    key_prefix: Type.Optional(Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.:-]+$' })),
  },
  { additionalProperties: false },
);
export type TeamSection = Static<typeof TeamSection>;

export interface TeamSettings {
  redisUrl?: string;
  keyPrefix: string;
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
