import type { FastifyReply } from 'fastify';
import type { ServedBy } from '../core/pipeline';
import { reportOf } from './request-log';
import { frameBatches } from './frame-batches';

/** Tells the client who served the response. */
export function setServedByHeaders(reply: FastifyReply, servedBy: ServedBy): void {
  reportOf(reply.request).servedBy = servedBy;
  reply.header('x-switchyard-provider', servedBy.provider);
  reply.header('x-switchyard-model', servedBy.model);
  reply.header('x-switchyard-attempts', String(servedBy.attempts));
  reply.header('x-switchyard-cache', servedBy.cache);
}

/**
 * Sends a rendered stream with backpressure, the frames of one burst in one chunk. When the
 * client goes away Fastify destroys the readable, which returns the generator, which ends the
 * upstream iteration and aborts the call.
 */
export function sendFrames(reply: FastifyReply, contentType: string, frames: AsyncIterable<string>): FastifyReply {
  reply.header('content-type', contentType);
  reply.header('cache-control', 'no-cache');
  reply.header('x-accel-buffering', 'no');
  return reply.send(frameBatches(frames));
}
