import { createHash } from 'node:crypto';
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { LspEndpoint } from '../../shared/lsp/protocol';

/** Longest Unix socket path the platforms accept (sun_path is 108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

export interface ListeningEndpoint {
  server: Server;
  endpoint: LspEndpoint;
  /** Stops accepting connections and removes the socket file; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Where the LSP door listens: a Unix socket inside the 0700 state dir (only this user can reach
 * it), a named pipe on Windows, or loopback TCP when the socket path would be too long.
 * Either way the first message must carry the token (see `token-gate.ts`).
 */
export function endpointFor(stateDir: string, platform: NodeJS.Platform = process.platform): LspEndpoint {
  if (platform === 'win32') {
    const id = createHash('sha256').update(stateDir.toLowerCase()).digest('hex').slice(0, 16);
    return { kind: 'pipe', path: `\\\\.\\pipe\\switchyard-lsp-${id}` };
  }
  const path = join(stateDir, 'lsp.sock');
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) return { kind: 'tcp', host: '127.0.0.1', port: 0 };
  return { kind: 'pipe', path };
}

/** Listens on the endpoint for `stateDir` and hands every accepted socket to `onSocket`. */
export async function listenLsp(stateDir: string, onSocket: (socket: Socket) => void): Promise<ListeningEndpoint> {
  const wanted = endpointFor(stateDir);
  const server = createServer({ noDelay: true }, onSocket);
  let endpoint: LspEndpoint;
  if (wanted.kind === 'pipe') {
    // The caller has checked that no live daemon serves this state dir: a socket file left
    // behind is a crashed daemon's.
    if (process.platform !== 'win32') removeSocketFile(wanted.path);
    await listen(server, { path: wanted.path });
    if (process.platform !== 'win32') chmodSync(wanted.path, 0o600);
    endpoint = wanted;
  } else {
    await listen(server, { host: '127.0.0.1', port: 0 });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the LSP server has no TCP address');
    endpoint = { kind: 'tcp', host: '127.0.0.1', port: address.port };
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      if (endpoint.kind === 'pipe' && process.platform !== 'win32') removeSocketFile(endpoint.path);
    });
    return closing;
  };
  return { server, endpoint, close };
}

function listen(server: Server, options: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function removeSocketFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Not there.
  }
}
