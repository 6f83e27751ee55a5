import type { DaemonStateFile } from '../../shared/admin';
import { healthAnswers, processAlive } from '../../shared/lifecycle/daemon-liveness';
import { readStateFile } from './state-file';

/**
 * The daemon already serving this state dir, if any: its process is alive and its `/health`
 * answers. A stale state file (crashed daemon, reused pid) does not count.
 */
export async function findRunningDaemon(stateDir: string): Promise<DaemonStateFile | undefined> {
  const state = readStateFile(stateDir);
  if (!state || state.pid === process.pid || !processAlive(state.pid)) return undefined;
  return (await healthAnswers(state.port, 1_000)) ? state : undefined;
}
