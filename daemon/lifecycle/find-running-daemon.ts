import { get } from 'node:http';
import type { DaemonStateFile } from '../../shared/admin';
import { processAlive } from '../core/process-alive';
import { readStateFile } from './state-file';

/** Whether a Switchyard daemon answers `/health` on this port (a plain one-off GET: no pool to keep). */
function healthAnswers(port: number, timeoutMs: number): Promise<boolean> {
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
 * The daemon already serving this state dir, if any: its process is alive and its `/health`
 * answers. A stale state file (crashed daemon, reused pid) does not count.
 */
export async function findRunningDaemon(stateDir: string): Promise<DaemonStateFile | undefined> {
  const state = readStateFile(stateDir);
  if (!state || state.pid === process.pid || !processAlive(state.pid)) return undefined;
  return (await healthAnswers(state.port, 1_000)) ? state : undefined;
}
