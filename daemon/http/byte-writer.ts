/**
 * Writes a byte stream (`core/byte-stream.ts`) to the response: each upstream read is edited
 * by the door (`ByteEdit`) and written inside the read's own `data` event, as a bare proxy
 * writes it. Backpressure pauses the upstream's socket while the client's is full. A client
 * that leaves releases the upstream; the layers' taps settle the rest.
 */
import type { FastifyReply } from 'fastify';
import type { ByteStream, ByteStreamEnd } from '../core/byte-stream';
import { isAbortError } from '../core/errors';
import { startStreamedReply } from './send-result';

/** What a door changes in the upstream's bytes on their way to its client. */
export interface ByteEdit {
  /** What to send for one upstream read (empty sends nothing now). */
  chunk(data: Buffer): Buffer | string;
  /** The text to send after the upstream's final event, before the response ends. */
  end(end: ByteStreamEnd): string;
  /** The door's error frame for a stream that failed part-way ('' for none). */
  fail(error: unknown): string;
}

/** Sends `bytes` with the status and headers set on the reply so far; see the file comment. */
export function sendBytes(reply: FastifyReply, contentType: string, bytes: ByteStream, edit: ByteEdit): FastifyReply {
  const response = startStreamedReply(reply, contentType);

  let open = true;
  const onClose = (): void => {
    if (!open) return;
    open = false;
    bytes.release(new DOMException('The client closed the connection.', 'AbortError'));
  };
  const resume = (): void => bytes.resume();
  response.once('close', onClose);
  const finish = (): boolean => {
    open = false;
    response.off('close', onClose);
    return !response.destroyed;
  };
  bytes.start({
    chunk(data) {
      const out = edit.chunk(data);
      if (out.length === 0 || response.destroyed) return;
      if (!response.write(out)) {
        bytes.pause();
        response.once('drain', resume);
      }
      // Node uncorks a response's socket on the next tick; a first chunk written from a promise job would wait for every job queued behind it.
      response.uncork();
    },
    end(end) {
      if (!finish()) return;
      const out = edit.end(end);
      if (out.length > 0) response.end(out);
      else response.end();
    },
    fail(error) {
      if (!finish()) return;
      if (isAbortError(error)) {
        response.destroy();
        return;
      }
      const out = edit.fail(error);
      if (out.length > 0) response.end(out);
      else response.end();
    },
  });
  return reply;
}
