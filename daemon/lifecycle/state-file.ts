import { chmodSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DaemonStateFile } from '../../shared/admin';

export const STATE_FILE_NAME = 'daemon.json';

/** `$SWITCHYARD_STATE_DIR`, else `$XDG_STATE_HOME/switchyard`, else `~/.switchyard`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWITCHYARD_STATE_DIR) return env.SWITCHYARD_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'switchyard');
  return join(homedir(), '.switchyard');
}

export function stateFilePath(stateDir: string): string {
  return join(stateDir, STATE_FILE_NAME);
}

/** Creates the state directory readable by the user alone. */
export function ensureStateDir(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
}

export function readStateFile(stateDir: string): DaemonStateFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(stateFilePath(stateDir), 'utf8')) as Partial<DaemonStateFile>;
    if (typeof parsed.pid !== 'number' || typeof parsed.port !== 'number' || typeof parsed.token !== 'string') return undefined;
    return parsed as DaemonStateFile;
  } catch {
    return undefined;
  }
}

/** Writes the state file atomically (temp file + rename) with mode 0600, so no reader ever sees half of it. */
export function writeStateFile(stateDir: string, state: DaemonStateFile): string {
  const path = stateFilePath(stateDir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return path;
}

/** Removes the state file if it still describes this process (a newer daemon may have replaced it). */
export function removeStateFile(stateDir: string, pid: number): void {
  const current = readStateFile(stateDir);
  if (current && current.pid !== pid) return;
  try {
    unlinkSync(stateFilePath(stateDir));
  } catch {
    // Already gone.
  }
}
