import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The state dir the daemon uses when given none: the README's rule (`$SWITCHYARD_STATE_DIR`,
 * else `$XDG_STATE_HOME/switchyard`, else `~/.switchyard`). The extension passes the dir it
 * resolved to the daemon it starts, so both always agree on where `daemon.json` is.
 */
export function resolveStateDir(configured: string, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (configured) return configured.startsWith('~/') ? join(home, configured.slice(2)) : configured;
  if (env.SWITCHYARD_STATE_DIR) return env.SWITCHYARD_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'switchyard');
  return join(home, '.switchyard');
}
