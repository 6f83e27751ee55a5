import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The extension hosts' logs (one host per window: `exthost1`, `exthost2`, …). A failed
 * activation shows nothing in the workbench; this log is the only place that says why.
 */
export function readExthostLog(userDataDir: string): string {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return '';
  const paths: string[] = [];
  for (const stamp of readdirSync(logs).sort()) {
    for (const host of readdirSync(join(logs, stamp)).filter((name) => name.startsWith('exthost')).sort()) {
      const path = join(logs, stamp, host, 'remoteexthost.log');
      if (existsSync(path)) paths.push(path);
    }
  }
  return paths.map((path) => readFileSync(path, 'utf8')).join('');
}

/** The activation error of `extensionId` with the lines that follow it (the stack), if it failed. */
export function activationFailure(log: string, extensionId: string): string | undefined {
  const lines = log.split('\n');
  const start = lines.findIndex((line) => line.includes(`Activating extension ${extensionId} failed`));
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^\d{4}-\d\d-\d\d \S+ \[(info|trace|debug)\]/.test(line));
  return [lines[start], ...rest.slice(0, end < 0 ? 20 : Math.min(end, 20))].join('\n');
}

/**
 * Waits until `extensionId` has been activated in `hosts` extension hosts (one per window
 * opened); throws the activation error (from the log) if it failed, or a timeout that quotes the log.
 */
export async function waitForActivation(userDataDir: string, extensionId: string, hosts = 1, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = readExthostLog(userDataDir);
    const failure = activationFailure(log, extensionId);
    if (failure) throw new Error(`the extension failed to activate:\n${failure}`);
    // The host logs the activation before it runs `activate`; a failure follows within the same second.
    if (log.split(`_doActivateExtension ${extensionId},`).length - 1 >= hosts) {
      await sleep(500);
      const late = activationFailure(readExthostLog(userDataDir), extensionId);
      if (late) throw new Error(`the extension failed to activate:\n${late}`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`${extensionId} was not activated within ${timeoutMs} ms; extension host log:\n${log.slice(-4000)}`);
    await sleep(200);
  }
}
