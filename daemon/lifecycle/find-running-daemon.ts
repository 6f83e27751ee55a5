import { request } from 'undici';
import type { DaemonStateFile } from '../../shared/admin';
import { readStateFile } from './state-file';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The daemon already serving this state dir, if any: its process is alive and its `/health`
 * answers. A stale state file (crashed daemon, reused pid) does not count.
 */
export async function findRunningDaemon(stateDir: string): Promise<DaemonStateFile | undefined> {
  const state = readStateFile(stateDir);
  if (!state || state.pid === process.pid || !processAlive(state.pid)) return undefined;
  try {
    const response = await request(`http://127.0.0.1:${state.port}/health`, { signal: AbortSignal.timeout(1_000) });
    await response.body.dump();
    return response.statusCode === 200 ? state : undefined;
  } catch {
    return undefined;
  }
}
