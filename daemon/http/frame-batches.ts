/**
 * A door's frames as a byte stream, one chunk per burst. A provider's read often carries many
 * tokens (a fast local model, a proxy that buffers); each becomes a frame, and a Readable of
 * single frames costs a trip through the stream machinery and an HTTP chunk per frame. Here the
 * frames that are ready in the same turn of the event loop are joined into one chunk; a frame
 * that waits on the network is not held back. The first frame goes out alone, at once: the
 * client's time to first token must not wait for the rest of its burst to be parsed and rendered.
 *
 * Destroying the stream (the client went away) returns the iterator, which ends the upstream
 * iteration and aborts the call.
 */
import { Readable } from 'node:stream';

/** Resolves once the promise jobs queued now have run: the end of the current burst. */
function endOfBurst(): Promise<typeof BURST_OVER> {
  return new Promise((resolve) => process.nextTick(resolve, BURST_OVER));
}
const BURST_OVER = Symbol('burst over');

export function frameBatches(frames: AsyncIterable<string>): Readable {
  const iterator = frames[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<string>> | undefined;
  let reading = false;
  let firstSent = false;
  return new Readable({
    async read() {
      if (reading) return;
      reading = true;
      try {
        const first = await (pending ?? iterator.next());
        pending = undefined;
        if (first.done) {
          this.push(null);
          return;
        }
        let batch = first.value;
        // The first frame alone; later ones with whatever else of the burst is ready.
        while (firstSent) {
          const next = iterator.next();
          const step = await Promise.race([next, endOfBurst()]);
          if (step === BURST_OVER) {
            // Awaited by the next read; until then a failure must not count as unhandled.
            next.catch(() => {});
            pending = next;
            break;
          }
          if (step.done) {
            this.push(batch);
            this.push(null);
            return;
          }
          batch += step.value;
        }
        firstSent = true;
        this.push(batch);
      } catch (error) {
        this.destroy(error as Error);
      } finally {
        reading = false;
      }
    },
    destroy(error, callback) {
      // The pending step (if any) settles on its own; returning the iterator stops the generator
      // chain once it does, which aborts the upstream call.
      void Promise.resolve(iterator.return?.()).then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
}
