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

/** Scrapes and probes come every few seconds: their lines are debug, not info. */
function isQuietPath(url: string): boolean {
  return url === '/metrics' || url === '/health';
}

/**
 * The request id as `X-Request-Id` on every response, and one info line per request when it
 * ends: door, route, provider, model, status, latency, time to first token, tokens, cache
 * result and attempts. The line carries no header, body or query: nothing a client sent as a
 * secret or a prompt can reach it.
 */
export function installRequestLog(app: FastifyInstance, lines: Logger): void {
  app.decorateRequest('switchyardReport', null);
  // Callback hooks, not async ones: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    writeRequestLine(lines, request, reply);
    done();
  });
}

function writeRequestLine(log: Logger, request: FastifyRequest, reply: FastifyReply): void {
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
    status: reply.statusCode,
    latencyMs: Math.round(reply.elapsedTime * 10) / 10,
    ttftMs: report?.ttftMs,
    inputTokens: report?.inputTokens,
    outputTokens: report?.outputTokens,
    cache: served?.cache,
    attempts: served?.attempts,
  };
  writeFlatLine(log, level, fields, 'request');
}
