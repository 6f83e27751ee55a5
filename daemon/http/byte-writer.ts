/**
 * Writes a byte stream (`core/byte-stream.ts`) to the response: each upstream read is edited
 * by the door (`ByteEdit`) and written inside the read's own `data` event, as a bare proxy
 * writes it. The first output is written the same way: offered by the stream in the read that
 * brought it (`offerFirst`, the context's `forwardFirst`), it goes out with the headers at
 * once, while the gateway settles its result; `send` then carries on with the rest.
 *
 * Backpressure pauses the upstream's socket while the client's is full. A client that leaves
 * releases the upstream; the layers' taps settle the rest.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { ByteStream, ByteStreamEnd } from '../core/byte-stream';
import { isAbortError } from '../core/errors';
import type { ServedBy } from '../core/pipeline';
import { setServedByHeaders } from './send-result';

/** What a door changes in the upstream's bytes on their way to its client. */
export interface ByteEdit {
  /** What to send for one upstream read (empty sends nothing now). */
  chunk(data: Buffer): Buffer | string;
  /** The text to send after the upstream's final event, before the response ends. */
  end(end: ByteStreamEnd): string;
  /** The door's error frame for a stream that failed part-way ('' for none). */
  fail(error: unknown): string;
}

/** One streamed reply of a door that forwards bytes; see the file comment. */
export class ByteReply {
  private state: 'waiting' | 'started' | 'declined' = 'waiting';
  private edit: ByteEdit | undefined;
  /** The stream being written: the one that offered its first output, then the gateway's result. */
  private stream: ByteStream | undefined;
  private open = true;

  constructor(
    private readonly reply: FastifyReply,
    private readonly contentType: string,
    private readonly editFor: (stream: ByteStream) => ByteEdit,
  ) {}

  get started(): boolean {
    return this.state === 'started';
  }

  /** Takes a stream's first output (`RequestContext.forwardFirst`), unless the door answers otherwise. */
  offerFirst(servedBy: ServedBy, stream: ByteStream, chunks: readonly Buffer[]): boolean {
    if (this.state !== 'waiting' || this.reply.raw.destroyed) return false;
    this.begin(servedBy, stream);
    for (let i = 0; i < chunks.length; i++) this.write(chunks[i]!);
    return true;
  }

  /** The door answers otherwise (headers sent early for a slow stream, an event stream, an error): no offer is taken. */
  decline(): void {
    if (this.state === 'waiting') this.state = 'declined';
  }

  /** Sends the gateway's result: the whole stream, or the rest of it if its first output went out already. */
  send(bytes: ByteStream, servedBy: ServedBy): FastifyReply {
    if (this.state !== 'started') this.begin(servedBy, bytes);
    this.stream = bytes;
    const response = this.reply.raw;
    const finish = (): boolean => {
      this.open = false;
      response.off('close', this.onClose);
      return !response.destroyed;
    };
    const edit = this.edit!;
    bytes.start({
      chunk: (data) => this.write(data),
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
    return this.reply;
  }

  private begin(servedBy: ServedBy, stream: ByteStream): void {
    this.state = 'started';
    this.stream = stream;
    this.edit = this.editFor(stream);
    const reply = this.reply;
    setServedByHeaders(reply, servedBy);
    reply.hijack();
    const headers = reply.getHeaders() as OutgoingHttpHeaders;
    headers['content-type'] = this.contentType;
    headers['cache-control'] = 'no-cache';
    headers['x-accel-buffering'] = 'no';
    reply.raw.writeHead(reply.statusCode, headers);
    reply.raw.once('close', this.onClose);
  }

  private write(data: Buffer): void {
    const response = this.reply.raw;
    const out = this.edit!.chunk(data);
    if (out.length === 0 || response.destroyed) return;
    if (!response.write(out)) {
      this.stream!.pause();
      response.once('drain', this.onDrain);
    }
    // Node uncorks a response's socket on the next tick; a chunk written from a promise job would wait for every job queued behind it.
    response.uncork();
  }

  private readonly onDrain = (): void => this.stream?.resume();

  /** The client left before the end: the upstream is released (its taps settle the attempt and the route). */
  private readonly onClose = (): void => {
    if (!this.open) return;
    this.open = false;
    this.stream?.release(new DOMException('The client closed the connection.', 'AbortError'));
  };
}
