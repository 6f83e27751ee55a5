/**
 * Starts a helper process (simulator, daemon, pass-through proxy) and waits for the one
 * JSON line with `"ready": true` it prints on stdout. Its stderr is kept for the error message.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ReadyProcess<L> {
  child: ChildProcess;
  ready: L;
  stop(): Promise<void>;
}

/**
 * Helpers run in their own process group, so a Ctrl-C at the terminal reaches only the
 * benchmark, which then stops the load and closes them in order (a daemon that drained
 * on the same signal would turn the last requests into errors). If the benchmark itself
 * dies, they are killed on its way out.
 */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

export function spawnReady<L extends { ready: true }>(label: string, file: string, args: string[], execArgv: string[] = [], timeoutMs = 20_000): Promise<ReadyProcess<L>> {
  const child = spawn(process.execPath, [...execArgv, file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  track(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const stop = () => stopProcess(child);
  return new Promise<ReadyProcess<L>>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${label} did not start: ${why}${stderr.trim() ? `\n${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
    child.once('error', (err) => fail(err.message));
    child.stdout!.setEncoding('utf8').on('data', function onData(c: string) {
      stdout += c;
      for (const line of stdout.split('\n')) {
        if (!line.trim().startsWith('{')) continue;
        try {
          const parsed = JSON.parse(line) as L;
          if (parsed.ready === true) {
            clearTimeout(timer);
            child.removeAllListeners('exit');
            child.stdout!.off('data', onData);
            child.stdout!.resume();
            resolve({ child, ready: parsed, stop });
            return;
          }
        } catch {
          // not the ready line (yet)
        }
      }
    });
  });
}

/** SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
