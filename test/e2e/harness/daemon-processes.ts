import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of the running daemons serving `stateDir`, found by their command lines in /proc
 * (so a daemon that lost or never wrote its state file still counts).
 */
export function daemonPidsFor(stateDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // Gone while we looked.
    }
    const isDaemon = args.some((arg) => arg.endsWith('daemon.js')) && args.includes(stateDir);
    if (isDaemon && !isZombie(entry)) pids.push(Number(entry));
  }
  return pids;
}

function isZombie(pid: string): boolean {
  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^\d+ \(.*\) /, ' '));
  } catch {
    return true;
  }
}
