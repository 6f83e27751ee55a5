/**
 * A lock file that lets one VS Code window start the daemon while the others wait for its
 * state file. The daemon itself refuses to run twice (exit status 3), but two windows opening
 * at once would otherwise both start one and race; the lock keeps the common case quiet.
 */
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '../../shared/lifecycle/daemon-liveness';

/** A lock older than this is from a window that died while starting the daemon. */
export const STALE_LOCK_MS = 30_000;

export function spawnLockPath(stateDir: string): string {
  return join(stateDir, 'daemon-start.lock');
}

/** Takes the lock, or returns undefined when another live window holds it. The release is idempotent. */
export async function tryTakeSpawnLock(stateDir: string, now: () => number = Date.now): Promise<(() => Promise<void>) | undefined> {
  const path = spawnLockPath(stateDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await lockIsStale(path, now()))) return undefined;
      await unlink(path).catch(() => undefined);
    }
  }
  return undefined;
}

async function lockIsStale(path: string, nowMs: number): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    const holder = Number(text.trim());
    if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) return true;
    return nowMs - info.mtimeMs > STALE_LOCK_MS;
  } catch {
    // Gone between the failed create and now: take it on the next attempt.
    return true;
  }
}
