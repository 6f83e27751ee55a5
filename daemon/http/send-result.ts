import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { ServedBy } from '../core/pipeline';
import { reportOf } from './request-log';
import { writeFrames, type FrameWriterOptions } from './frame-writer';

/** Tells the client who served the response. */
export function setServedByHeaders(reply: FastifyReply, servedBy: ServedBy): void {
  reportOf(reply.request).servedBy = servedBy;
  // A stream's head may have gone when its upstream accepted it: then the log line alone tells who served it.
  if (reply.raw.headersSent) return;
  reply.header('x-switchyard-provider', servedBy.provider);
  reply.header('x-switchyard-model', servedBy.model);
  reply.header('x-switchyard-attempts', String(servedBy.attempts));
  reply.header('x-switchyard-cache', servedBy.cache);
}

/**
 * Sends a rendered stream with backpressure, the frames of one burst in one write
 * (`frame-writer.ts`). The reply is hijacked: the frames go to the response itself, and
 * Fastify's `onResponse` hooks still run when it finishes. When the client goes away the
 * request's cancellation aborts the upstream call and the iteration ends.
 */
export function sendFrames(reply: FastifyReply, contentType: string, frames: AsyncIterable<string>, options?: FrameWriterOptions): FastifyReply {
  const response = startStreamedReply(reply, contentType);
  writeFrames(response, frames, options).catch((error: unknown) => reply.log.error({ err: error }, 'stream: writing the frames failed'));
  return reply;
}

/**
 * Hijacks the reply for a stream written to the response itself (Fastify's `onResponse` hooks
 * still run when it finishes) and sets its head: the headers set on the reply so far (the
 * request id, who served it) with the stream's own. They go out with the first write. A head that
 * went already (a forwarded stream's, when its upstream accepted it) is kept.
 */
export function startStreamedReply(reply: FastifyReply, contentType: string): ServerResponse {
  const response = reply.raw;
  if (response.headersSent) return response;
  reply.hijack();
  const headers = reply.getHeaders() as OutgoingHttpHeaders;
  headers['content-type'] = contentType;
  headers['cache-control'] = 'no-cache';
  headers['x-accel-buffering'] = 'no';
  response.writeHead(reply.statusCode, headers);
  return response;
}
