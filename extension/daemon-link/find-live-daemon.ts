import { get } from 'node:http';
import { readDaemonState, type DaemonState } from './daemon-state';

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One GET /health with no keep-alive: the extension holds no HTTP pool to the daemon. */
export function healthAnswers(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/health', timeout: timeoutMs, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

/**
 * The daemon that serves this state dir now: its state file names a live process whose
 * `/health` answers. A stale file (a crashed daemon, a reused pid) does not count.
 */
export async function findLiveDaemon(stateDir: string, healthTimeoutMs = 1_000): Promise<DaemonState | undefined> {
  const state = await readDaemonState(stateDir);
  if (!state || !processAlive(state.pid)) return undefined;
  return (await healthAnswers(state.port, healthTimeoutMs)) ? state : undefined;
}
