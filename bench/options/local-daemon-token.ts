import { readFileSync } from 'node:fs';
import { isLoopbackUrl } from '../../daemon/core/loopback';
import { defaultStateDir } from '../../daemon/lifecycle/state-file';
import { tokenPath } from '../../daemon/lifecycle/token-file';

/**
 * The bearer token of this user's daemon (its 0600 token file), so a `--target` on this
 * machine needs no `--token`. Only for a loopback target: the token never leaves the machine.
 */
export function localDaemonToken(target: string | null, env: NodeJS.ProcessEnv = process.env): string | null {
  if (target === null || !isLoopbackUrl(target)) return null;
  try {
    const token = readFileSync(tokenPath(defaultStateDir(env)), 'utf8').trim();
    return token === '' ? null : token;
  } catch {
    return null;
  }
}
