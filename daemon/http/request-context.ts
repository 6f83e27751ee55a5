import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_HEADER, INLINE_COMPLETION_CLIENT } from '../../shared/protocol/client-headers';
import { Cancellation } from '../core/cancellation';
import { GatewayError } from '../core/errors';
import type { Door, RequestContext, RequestDirectives } from '../core/pipeline';
import { reportOf } from './request-log';

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the `X-Switchyard-*` request headers a client may use to steer one request. */
export function directivesFromHeaders(request: FastifyRequest): RequestDirectives {
  const directives: RequestDirectives = {};
  const route = headerValue(request, 'x-switchyard-route');
  if (route) directives.route = route;
  const provider = headerValue(request, 'x-switchyard-provider');
  if (provider) directives.provider = provider;
  const deadline = headerValue(request, 'x-switchyard-deadline-ms');
  if (deadline !== undefined) {
    const ms = Number(deadline);
    if (!Number.isFinite(ms) || ms <= 0) {
      throw new GatewayError('invalidRequest', `X-Switchyard-Deadline-Ms must be a positive number of milliseconds, got "${deadline}".`);
    }
    directives.deadlineMs = ms;
  }
  const cache = headerValue(request, 'x-switchyard-cache');
  if (cache !== undefined) {
    const value = cache.toLowerCase();
    if (value !== 'on' && value !== 'off') throw new GatewayError('invalidRequest', `X-Switchyard-Cache must be "on" or "off", got "${cache}".`);
    directives.cache = value;
  }
  const client = headerValue(request, CLIENT_HEADER);
  if (client !== undefined) {
    if (client !== INLINE_COMPLETION_CLIENT) {
      throw new GatewayError('invalidRequest', `X-Switchyard-Client must be "${INLINE_COMPLETION_CLIENT}" (the editor's inline completions), got "${client}".`);
    }
    directives.inlineCompletion = true;
  }
  return directives;
}

/**
 * Builds the pipeline's context for one HTTP request. Its signal aborts when the client
 * closes the connection before the response has finished, so the upstream call stops at once.
 */
export function requestContext(request: FastifyRequest, reply: FastifyReply, door: Door): RequestContext {
  const cancellation = new Cancellation();
  const response = reply.raw;
  response.once('close', () => {
    if (!response.writableFinished) cancellation.abort(new DOMException('The client closed the connection.', 'AbortError'));
  });
  return {
    signal: cancellation,
    door,
    directives: directivesFromHeaders(request),
    requestId: typeof request.id === 'string' ? request.id : randomUUID(),
    receivedAt: performance.now(),
    report: reportOf(request),
  };
}
