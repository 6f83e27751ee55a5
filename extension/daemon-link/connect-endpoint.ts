import { connect, type Socket } from 'node:net';
import type { LspEndpoint } from '../../shared/lsp/protocol';

/** Opens the socket to the daemon's LSP door; rejects if it cannot connect within the timeout. */
export function connectEndpoint(endpoint: LspEndpoint, timeoutMs = 5_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = endpoint.kind === 'pipe' ? connect({ path: endpoint.path }) : connect({ host: endpoint.host, port: endpoint.port });
    const timer = setTimeout(() => fail(new Error(`no answer from the daemon's editor endpoint within ${timeoutMs} ms`)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      // Keystrokes are small messages: send each at once.
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}
