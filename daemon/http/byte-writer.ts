/**
 * Writes byte streams (`core/byte-stream.ts`) to a response: each upstream read is edited by
 * the door (`ByteEdit`) and written inside the read's own `data` event, as a bare proxy writes
 * it. Backpressure pauses the upstream's socket while the client's is full. A client that
 * leaves releases the upstream; the layers' taps settle the rest.
 *
 * One `ByteReply` per response. It may be given more than one stream: a door that starts each
 * stream as soon as its upstream accepts it (`RequestContext.streamAcceptor`) gets the next one
 * when the first failed before any output and the gateway tried again. None of them wrote
 * anything then (a stream's sink gets nothing before its first output).
 */
import type { ServerResponse } from 'node:http';
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

/** Sends byte streams with the status and headers set on the reply by then; see the file comment. */
export class ByteReply {
  /** Set once the head is written (then it goes out with the first write, or at once from `sendHead`). */
  private response: ServerResponse | undefined;
  /** The stream being written; the one a client that leaves releases. */
  private current: ByteStream | undefined;
  private closed = false;
  /** Repeats a waiting comment until the first chunk goes (`keepAlive`). */
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly reply: FastifyReply,
    private readonly contentType: string,
  ) {}

  get headSent(): boolean {
    return this.response !== undefined;
  }

  /** Whether it was given a stream (which may not have produced anything yet). */
  get hasStream(): boolean {
    return this.current !== undefined;
  }

  /** Whether `bytes` is the stream being written (the gateway's result for a stream started on acceptance). */
  isWriting(bytes: ByteStream): boolean {
    return this.current === bytes;
  }

  /** Sends the head now: the status and the headers set on the reply so far. */
  sendHead(): void {
    this.head().flushHeaders();
  }

  /**
   * Sends the head if it has not gone, with `comment` (an SSE comment line) now and every
   * `everyMs` until the first chunk goes: a client waiting for a slow first token can tell a
   * slow model from a dead gateway.
   */
  keepAlive(comment: string, everyMs: number): void {
    const response = this.head();
    if (this.heartbeat !== undefined || response.destroyed) return;
    response.write(comment);
    this.heartbeat = setInterval(() => {
      if (!response.destroyed) response.write(comment);
    }, everyMs).unref();
  }

  /** Writes `bytes` to the response from its first chunk on; the head goes with that chunk if it has not gone. */
  pipe(bytes: ByteStream, edit: ByteEdit): void {
    if (this.current === undefined) this.reply.raw.once('close', this.onClose);
    this.current = bytes;
    bytes.start({
      chunk: (data) => {
        if (this.heartbeat !== undefined) this.stopKeepAlive();
        const out = edit.chunk(data);
        const response = this.head();
        if (out.length === 0 || response.destroyed) return;
        if (!response.write(out)) {
          bytes.pause();
          response.once('drain', () => bytes.resume());
        }
        // Node uncorks a response's socket on the next tick; a first chunk written from a promise job would wait for every job queued behind it.
        response.uncork();
      },
      end: (end) => {
        if (!this.finish()) return;
        const out = edit.end(end);
        if (out.length > 0) this.response!.end(out);
        else this.response!.end();
      },
      fail: (error) => {
        if (!this.finish()) return;
        if (isAbortError(error)) {
          this.response!.destroy();
          return;
        }
        this.endWith(edit.fail(error));
      },
    });
  }

  /** Ends a response whose head went with a last frame (an error event: the failure came after the head). */
  endWith(frame: string): void {
    const response = this.head();
    this.current = undefined;
    this.stopKeepAlive();
    if (response.destroyed || response.writableEnded) return;
    if (frame.length > 0) response.end(frame);
    else response.end();
  }

  private head(): ServerResponse {
    return (this.response ??= startStreamedReply(this.reply, this.contentType));
  }

  /** The stream ended or failed: true if the response is still there to finish. */
  private finish(): boolean {
    this.closed = true;
    this.stopKeepAlive();
    this.reply.raw.off('close', this.onClose);
    const response = this.head();
    return !response.destroyed;
  }

  /** Stops the waiting comments (a fallback whose events the door renders writes on this head). */
  stopKeepAlive(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private readonly onClose = (): void => {
    this.stopKeepAlive();
    if (this.closed) return;
    this.closed = true;
    this.current?.release(new DOMException('The client closed the connection.', 'AbortError'));
  };
}
