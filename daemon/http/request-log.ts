import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { RequestReport } from '../core/pipeline';
import { writeFlatLine } from '../observability/logger';
import { doorOfUrl } from './door-of-url';

declare module 'fastify' {
  interface FastifyRequest {
    switchyardReport: RequestReport | null;
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** Nginx's status for a request whose client closed the connection before any response was sent. */
const CLIENT_CLOSED_REQUEST = 499;

/**
 * The status a request ended with: the one sent, or 499 for a client that left before the
 * response's headers went (while its model was still working on the first token, say).
 */
export function endStatus(reply: FastifyReply): number {
  return reply.raw.headersSent ? reply.statusCode : CLIENT_CLOSED_REQUEST;
}

/** A client's own request id is kept when it is short and plain, so it can be found in both logs. */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Fastify's `genReqId`: the client's `X-Request-Id` if usable, else a fresh UUID. */
export function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

/** The request's report, made on first use; the gateway and the door fill it in. */
export function reportOf(request: FastifyRequest): RequestReport {
  return (request.switchyardReport ??= {});
}

/** Scrapes and probes come every few seconds (the benchmark reads the status every second): their lines are debug, not info. */
function isQuietPath(url: string): boolean {
  return url === '/metrics' || url === '/health' || url === '/v1/switchyard/status';
}

/**
 * The request id as `X-Request-Id` on every response, and one info line per request when it
 * ends: door, route, provider, model, status, latency, time to first token, tokens, cache
 * result and attempts, and `clientLeft` when the client closed the connection first. The line
 * carries no header, body or query: nothing a client sent as a secret or a prompt can reach it.
 */
export function installRequestLog(app: FastifyInstance, lines: Logger): void {
  app.decorateRequest('switchyardReport', null);
  // Callback hooks, not async ones: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    const response = reply.raw;
    // Fastify runs `onResponse` only for a response that finished. A client that left (a user
    // who stopped an answer, an editor that dropped a stale completion) is logged here.
    response.once('close', () => {
      if (!response.writableFinished) writeRequestLine(lines, request, reply, true);
    });
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    writeRequestLine(lines, request, reply, false);
    done();
  });
}

function writeRequestLine(log: Logger, request: FastifyRequest, reply: FastifyReply, clientLeft: boolean): void {
  const url = request.routeOptions.url ?? request.url.split('?')[0]!;
  const level = isQuietPath(url) ? 'debug' : 'info';
  if (!log.isLevelEnabled(level)) return;
  const report = request.switchyardReport;
  const served = report?.servedBy;
  const fields = {
    reqId: request.id as string,
    door: doorOfUrl(url),
    method: request.method,
    url,
    route: report?.route,
    provider: served?.provider,
    model: served?.model,
    status: clientLeft ? endStatus(reply) : reply.statusCode,
    clientLeft: clientLeft ? true : undefined,
    latencyMs: Math.round(reply.elapsedTime * 10) / 10,
    ttftMs: report?.ttftMs,
    inputTokens: report?.inputTokens,
    outputTokens: report?.outputTokens,
    cache: served?.cache,
    attempts: served?.attempts,
  };
  writeFlatLine(log, level, fields, 'request');
}
