/**
 * Whether the daemon a state file names is really there: its process exists and its `/health`
 * answers. Used by the daemon (a second one must not start) and by the extension (find or start
 * the one daemon), which may not import each other.
 */
import { get } from 'node:http';

/** Whether a process with this pid exists (EPERM: it does, but belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One GET /health on loopback with no keep-alive: neither caller keeps an HTTP pool to the daemon. */
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
