import { healthAnswers, processAlive } from '../../shared/lifecycle/daemon-liveness';
import { readDaemonState, type DaemonState } from './daemon-state';

/**
 * The daemon that serves this state dir now: its state file names a live process whose
 * `/health` answers. A stale file (a crashed daemon, a reused pid) does not count.
 */
export async function findLiveDaemon(stateDir: string, healthTimeoutMs = 1_000): Promise<DaemonState | undefined> {
  const state = await readDaemonState(stateDir);
  if (!state || !processAlive(state.pid)) return undefined;
  return (await healthAnswers(state.port, healthTimeoutMs)) ? state : undefined;
}
