/**
 * A real LSP client for the tests, as vscode-languageclient connects to the daemon: a socket to
 * the endpoint in the state file, a protocol connection over it, `initialize` with the token.
 */
import { connect, type Socket } from 'node:net';
import {
  createProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  SocketMessageReader,
  SocketMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { DaemonStateFile } from '../../../shared/admin';
import { StatusChangedNotification, type CompletionSettings, type EditorStatus, type LspEndpoint, type SwitchyardInitOptions } from '../../../shared/lsp/protocol';

export interface TestLspClient {
  socket: Socket;
  connection: ProtocolConnection;
  initializeResult: InitializeResult;
  /** Every `switchyard/statusChanged` received, oldest first. */
  statuses: EditorStatus[];
  /** Resolves with the first status pushed from now on (or already pushed, if `since` is given) that matches. */
  nextStatus(predicate: (status: EditorStatus) => boolean, timeoutMs?: number, since?: number): Promise<EditorStatus>;
  /** Resolves once the daemon has closed this connection. */
  closed: Promise<void>;
  dispose(): void;
}

export const TEST_SETTINGS: CompletionSettings = { enabled: true, disabledLanguages: [], debounceMinMs: 0, debounceMaxMs: 0, route: '', allowCloud: false };

export function openSocket(endpoint: LspEndpoint): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = endpoint.kind === 'pipe' ? connect(endpoint.path) : connect(endpoint.port, endpoint.host);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export async function connectLsp(
  state: Pick<DaemonStateFile, 'lsp' | 'token'>,
  options: { processId?: number | null; completion?: Partial<CompletionSettings>; token?: string } = {},
): Promise<TestLspClient> {
  const socket = await openSocket(state.lsp);
  const connection = createProtocolConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  const statuses: EditorStatus[] = [];
  const waiters: { predicate: (status: EditorStatus) => boolean; resolve: (status: EditorStatus) => void }[] = [];
  connection.onNotification(StatusChangedNotification.type, (status) => {
    statuses.push(status);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(status)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(status);
      }
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  connection.onError(() => undefined);
  connection.listen();
  const initializationOptions: SwitchyardInitOptions = {
    clientVersion: 'test',
    token: options.token ?? state.token,
    completion: { ...TEST_SETTINGS, ...options.completion },
  };
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: options.processId === undefined ? process.pid : options.processId,
    rootUri: null,
    capabilities: { window: { workDoneProgress: true } },
    initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    socket,
    connection,
    initializeResult,
    statuses,
    closed,
    nextStatus(predicate, timeoutMs = 10_000, since) {
      if (since !== undefined) {
        const already = statuses.slice(since).find(predicate);
        if (already) return Promise.resolve(already);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching status within ${timeoutMs} ms; last: ${JSON.stringify(statuses.at(-1))}`)), timeoutMs);
        waiters.push({ predicate, resolve: (status) => { clearTimeout(timer); resolve(status); } });
      });
    },
    dispose() {
      connection.dispose();
      socket.destroy();
    },
  };
}
