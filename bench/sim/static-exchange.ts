import type { IncomingMessage, ServerResponse } from 'node:http';
import { garbageReply, httpFaultReply, serverErrorReply } from './faults';
import { readBody, sendWire } from './http-io';
import type { StaticRoute, WireReply } from './protocols/types';
import { readOverrides } from './request-overrides';
import type { SimState } from './sim-state';

/**
 * Listing, health and details routes: answered at once. Only an `x-sim-fault` header makes
 * them fail (the error rate is for generation requests), so a health probe can be tested too.
 */
export function serveStatic(state: SimState, route: StaticRoute, req: IncomingMessage, res: ServerResponse, path: string): void {
  const record = state.recorder.begin(route.name, req.method ?? 'GET', path, req.headers, undefined);
  let settled = false;
  res.on('close', () => {
    if (!settled) state.recorder.abort(record);
  });
  const respond = (reply: WireReply) => {
    settled = true;
    state.recorder.finish(record, reply.status);
    sendWire(res, reply);
  };
  // A bug in the simulator must cost one request, not the process.
  const answer = (body?: unknown) => {
    try {
      respond(route.respond(req.headers, state.settings, path, body));
    } catch (error) {
      respond(protocol.error(500, `simulator error: ${(error as Error).message}`, 'server_error'));
    }
  };
  const protocol = route.protocolFor(req.headers);
  const apiKey = state.settings.apiKey;
  if (!route.open && apiKey !== undefined && !protocol.hasKey(req.headers, apiKey)) {
    req.resume();
    return respond(protocol.error(401, 'Incorrect API key provided.', 'invalid_api_key'));
  }
  const overrides = readOverrides(req.headers);
  if (typeof overrides === 'string') {
    req.resume();
    return respond(protocol.error(400, overrides, 'invalid_sim_header'));
  }
  const fault = overrides.fault;
  if (fault !== undefined) {
    req.resume();
    record.fault = fault;
    state.recorder.countFault();
    switch (fault) {
      case 'stall':
        return;
      case 'reset':
      case 'midstream':
        settled = true;
        state.recorder.cut(record, undefined);
        req.socket.destroy();
        return;
      case 'garbage':
        return respond(garbageReply(false, 'application/json'));
      case 'stream-error':
        return respond(serverErrorReply(protocol));
      default:
        return respond(httpFaultReply(protocol, fault, state.settings.retryAfterSeconds));
    }
  }
  if (req.method !== 'POST') {
    req.resume();
    return answer();
  }
  readBody(req, (raw) => {
    if (raw === undefined) return respond(protocol.error(413, 'Request exceeds the maximum allowed number of bytes.'));
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return respond(protocol.error(400, 'We could not parse the JSON body of your request. Send valid JSON.', 'invalid_json'));
    }
    record.body = body;
    answer(body);
  });
}
