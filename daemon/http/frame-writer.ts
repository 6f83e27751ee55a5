/**
 * Writes a door's frames to the response itself, one write per burst.
 *
 * A provider's read often carries many tokens (a fast local model, a proxy that buffers); each
 * becomes a frame. The frames that are ready in the same turn of the event loop are joined and
 * written once, when that turn has handled its I/O; a frame that waits on the network is not
 * held back. A stream whose upstream ends in the same read (its end is seen a tick after its
 * last event) thus goes out with the end of the response, in one write. The first frame is
 * written alone, at once (with the headers): the client's time to first token must not wait
 * for the rest of its burst to be parsed and rendered.
 *
 * Writing to the response directly, instead of handing Fastify a Readable to pipe, spares each
 * stream the stream machinery (a Readable, a pipe, end-of-stream watchers, a read per frame
 * through `process.nextTick`) and each frame a race against the end of its burst. Each write
 * to a socket costs a system call and wakes the client, so there are as few as the bursts.
 * Backpressure is kept: while the socket's buffer is full, no further frame is pulled.
 *
 * A client that goes away ends the iteration (which returns the iterator, so the generator
 * chain stops); the request's cancellation has already aborted the upstream call.
 */
import type { ServerResponse } from 'node:http';

/** What the writer needs of a response (a test passes a recording Writable). */
export type FrameSink = Pick<ServerResponse, 'write' | 'uncork' | 'end' | 'destroy' | 'destroyed' | 'writableNeedDrain' | 'flushHeaders' | 'once' | 'off'>;

export interface FrameWriterOptions {
  /** Send the headers now, before any frame (a stream whose first frame may be a long way off). */
  headersNow?: boolean;
}

/** Writes `frames` to `response` (whose status and headers are set) and ends it; resolves when done. */
export async function writeFrames(response: FrameSink, frames: AsyncIterable<string>, options: FrameWriterOptions = {}): Promise<void> {
  if (options.headersNow) response.flushHeaders();
  const iterator = frames[Symbol.asyncIterator]();
  let batch = '';
  let flushQueued = false;
  const flush = (): void => {
    flushQueued = false;
    if (batch.length === 0 || response.destroyed) return;
    const out = batch;
    batch = '';
    writeNow(response, out);
  };
  let first = true;
  try {
    for (;;) {
      if (response.writableNeedDrain && !(await drained(response))) break;
      const step = await iterator.next();
      if (step.done) break;
      if (response.destroyed) break;
      if (first) {
        first = false;
        writeNow(response, step.value);
        continue;
      }
      batch += step.value;
      if (!flushQueued) {
        flushQueued = true;
        // Runs once this turn of the event loop has handled its I/O: the end of the current burst.
        setImmediate(flush);
      }
    }
  } catch (error) {
    // The doors' renderers turn pipeline failures into error frames; reaching here is a fault
    // of the writer's own, and a half-written stream must not look whole.
    response.destroy(error as Error);
    return;
  } finally {
    if (response.destroyed) await iterator.return?.();
  }
  if (response.destroyed) return;
  const rest = batch;
  batch = '';
  if (rest.length > 0) response.end(rest);
  else response.end();
}

/**
 * Writes and sends at once. Node corks the socket on a response's write and uncorks it on the
 * next tick, which comes only after every promise job queued now: the rest of the burst would
 * be parsed and rendered before the first frame left. Uncorking here sends it now.
 */
function writeNow(response: FrameSink, text: string): void {
  response.write(text);
  response.uncork();
}

/** True once the socket's buffer has drained, false if the response closed first. */
function drained(response: FrameSink): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = (): void => {
      response.off('close', onClose);
      resolve(true);
    };
    const onClose = (): void => {
      response.off('drain', onDrain);
      resolve(false);
    };
    response.once('drain', onDrain);
    response.once('close', onClose);
  });
}
