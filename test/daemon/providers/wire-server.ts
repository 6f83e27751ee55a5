/**
 * A tiny loopback HTTP server for adapter tests: each test scripts the exact wire bytes a
 * provider sends, and reads back what the adapter sent (method, path, headers, JSON body) and
 * whether the adapter went away before the response finished.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderKind } from '../../../shared/gateway';
import type { ProviderSettings } from '../../../daemon/core/provider';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** Set when the client closed the connection before the response ended. */
  aborted: boolean;
  /** The client's port: the same port for two requests means a reused keep-alive connection. */
  remotePort: number;
}

export type WireHandler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

export interface WireServer {
  url: string;
  requests: ReceivedRequest[];
  setHandler(handler: WireHandler): void;
  /** Resolves when a request's client goes away before its response ended. */
  nextAbort(): Promise<ReceivedRequest>;
  /** Open TCP connections right now. */
  connectionCount(): number;
  close(): Promise<void>;
}

export async function startWireServer(initial: WireHandler): Promise<WireServer> {
  let handler = initial;
  const requests: ReceivedRequest[] = [];
  let abortWaiters: Array<(r: ReceivedRequest) => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text.length > 0 ? JSON.parse(text) : undefined,
        aborted: false,
        remotePort: req.socket.remotePort ?? 0,
      };
      requests.push(received);
      res.on('close', () => {
        if (!res.writableFinished) {
          received.aborted = true;
          const waiters = abortWaiters;
          abortWaiters = [];
          for (const w of waiters) w(received);
        }
      });
      Promise.resolve(handler(received, res)).catch((error: unknown) => {
        res.destroy(error as Error);
      });
    });
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(next) {
      handler = next;
    },
    nextAbort() {
      return new Promise((resolve) => abortWaiters.push(resolve));
    },
    connectionCount() {
      return sockets.size;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function settingsFor(kind: ProviderKind, baseUrl: string, overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  return {
    name: `test-${kind}`,
    kind,
    baseUrl,
    models: [],
    local: true,
    prices: {},
    maxConnections: 8,
    connectTimeoutMs: 1_000,
    headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000,
    headers: {},
    ...overrides,
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes the pieces with a short pause between them, so the client sees them as separate chunks. */
export async function writeSlowly(res: ServerResponse, pieces: Array<string | Buffer>, end = true): Promise<void> {
  for (const piece of pieces) {
    res.write(piece);
    await new Promise((r) => setTimeout(r, 5));
  }
  if (end) res.end();
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
