/**
 * Reading `<stateDir>/daemon.json` the way the editor needs it: the HTTP fields every client
 * uses plus the LSP endpoint. A file that is missing, half-written or from a daemon without
 * an LSP door reads as "no daemon to connect to", never as a crash.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DaemonStateFile } from '../../shared/admin';
import type { LspEndpoint } from '../../shared/lsp/protocol';

export const STATE_FILE_NAME = 'daemon.json';

/** The state file as read: `lsp` is missing when an older daemon (without an editor door) wrote it. */
export interface DaemonState extends Omit<DaemonStateFile, 'lsp'> {
  lsp?: LspEndpoint;
}

export function stateFilePath(stateDir: string): string {
  return join(stateDir, STATE_FILE_NAME);
}

export async function readDaemonState(stateDir: string): Promise<DaemonState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFilePath(stateDir), 'utf8');
  } catch {
    return undefined;
  }
  return parseDaemonState(text);
}

export function parseDaemonState(text: string): DaemonState | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  const { pid, port, token } = data;
  if (!Number.isInteger(pid) || (pid as number) <= 0 || !Number.isInteger(port) || typeof token !== 'string') return undefined;
  const state: DaemonState = {
    pid: pid as number,
    port: port as number,
    token,
    version: typeof data.version === 'string' ? data.version : 'unknown',
    url: typeof data.url === 'string' ? data.url : `http://127.0.0.1:${port as number}`,
    startedAt: typeof data.startedAt === 'string' ? data.startedAt : '',
  };
  const lsp = parseEndpoint(data.lsp);
  if (lsp) state.lsp = lsp;
  return state;
}

export function parseEndpoint(value: unknown): LspEndpoint | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'pipe' && typeof value.path === 'string' && value.path !== '') return { kind: 'pipe', path: value.path };
  // Only loopback: a state file pointing elsewhere is not ours to follow.
  if (value.kind === 'tcp' && value.host === '127.0.0.1' && Number.isInteger(value.port) && (value.port as number) > 0 && (value.port as number) < 65536)
    return { kind: 'tcp', host: '127.0.0.1', port: value.port as number };
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
