import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { RequestReport } from '../core/pipeline';
import { renderedField, writeRenderedLine } from '../observability/logger';
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
  const fields =
    renderedField('reqId', request.id) +
    renderedField('door', doorOfUrl(url)) +
    renderedField('method', request.method) +
    renderedField('url', url) +
    renderedField('route', report?.route) +
    renderedField('provider', served?.provider) +
    renderedField('model', served?.model) +
    renderedField('status', reply.statusCode) +
    renderedField('latencyMs', Math.round(reply.elapsedTime * 10) / 10) +
    renderedField('ttftMs', report?.ttftMs) +
    renderedField('inputTokens', report?.inputTokens) +
    renderedField('outputTokens', report?.outputTokens) +
    renderedField('cache', served?.cache) +
    renderedField('attempts', served?.attempts);
  writeRenderedLine(log, level, fields, 'request');
}
