import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ClosingConnections } from './closing-connections';
import { CONTROL_PREFIX, serveControl } from './control';
import { Exchange } from './exchange';
import { readBody, sendWire } from './http-io';
import { findRoute, notFound } from './routes';
import type { SimState } from './sim-state';
import { serveStatic } from './static-exchange';

/**
 * Plain `node:http`, no framework: the simulator must answer tens of thousands of small
 * requests a second on one core and never be what a benchmark measures.
 */
export function createSimServer(state: SimState): Server {
  const closing = new ClosingConnections();
  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => route(state, closing, req, res));
  // Clients keep connections for a long time; a stalled request must wait for its client, not a server timer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  server.requestTimeout = 0;
  return server;
}

function route(state: SimState, closing: ClosingConnections, req: IncomingMessage, res: ServerResponse): void {
  if (closing.refuses(req)) {
    state.recorder.countRefused();
    return;
  }
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const method = req.method ?? 'GET';
  const entry = findRoute(method, path);
  if (entry === undefined && path.startsWith(CONTROL_PREFIX)) return serveControl(state, req, res, path);
  const closeAfterMs = state.settings.closeAfterResponseMs;
  if (closeAfterMs !== undefined) closing.closeAfter(res, closeAfterMs);
  if (entry === undefined) {
    req.resume();
    return sendWire(res, notFound(method, path));
  }
  if (entry.kind === 'static') return serveStatic(state, entry.route, req, res, path);
  const record = state.recorder.begin(entry.route.name, method, path, req.headers, undefined);
  const exchange = new Exchange(state, entry.route, req, res, record);
  readBody(req, (body) => {
    try {
      if (body === undefined) exchange.rejectTooLarge();
      else exchange.run(body);
    } catch (error) {
      exchange.failInternally(error);
    }
  });
}
