import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { ServedBy } from '../core/pipeline';
import { reportOf } from './request-log';
import { writeFrames, type FrameWriterOptions } from './frame-writer';

/** Tells the client who served the response. */
export function setServedByHeaders(reply: FastifyReply, servedBy: ServedBy): void {
  reportOf(reply.request).servedBy = servedBy;
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
  reply.hijack();
  const response = reply.raw;
  // Those set on the reply so far (the request id, who served it) with the stream's own.
  const headers = reply.getHeaders() as OutgoingHttpHeaders;
  headers['content-type'] = contentType;
  headers['cache-control'] = 'no-cache';
  headers['x-accel-buffering'] = 'no';
  response.writeHead(reply.statusCode, headers);
  writeFrames(response, frames, options).catch((error: unknown) => reply.log.error({ err: error }, 'stream: writing the frames failed'));
  return reply;
}
