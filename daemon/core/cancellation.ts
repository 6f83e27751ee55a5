/**
 * The cancellation a request carries down the pipeline: the part of an AbortSignal the request
 * path reads (`aborted`, `reason`, an `abort` listener), and a cheap source for it.
 *
 * Node's AbortSignal is an EventTarget: making one costs a few microseconds and leaves a
 * large object for the collector, and a request used to make two (the client's disconnect and
 * the deadline) before any byte went upstream. `Cancellation` is a plain object with a short
 * listener list. undici takes it as a request's `signal` as it is (it only adds and removes an
 * `abort` listener); an API that needs a real AbortSignal gets one from `abortSignalOf`, made
 * on first use and kept in step.
 */

export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The reason an abort without one carries, as AbortController gives it. */
function defaultReason(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError');
}

/** A cancellation source and its signal in one object: `abort()` it, hand it on as the signal. */
export class Cancellation implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  /** One listener is the common case (the next stage down); a list only beyond it. */
  private first: (() => void) | undefined;
  private rest: Array<() => void> | undefined;
  private real: AbortController | undefined;

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? defaultReason() : reason;
    this.real?.abort(this.reason);
    const first = this.first;
    const rest = this.rest;
    this.first = undefined;
    this.rest = undefined;
    // As an EventTarget does: a listener that throws is reported, the others still run.
    if (first !== undefined) callListener(first);
    if (rest !== undefined) for (const listener of rest) callListener(listener);
  }

  addEventListener(type: 'abort', listener: () => void): void {
    // An EventTarget calls no listener added after the event, and each listener once.
    if (type !== 'abort' || this.aborted || listener === this.first || this.rest?.includes(listener)) return;
    if (this.first === undefined) this.first = listener;
    else (this.rest ??= []).push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort') return;
    if (this.first === listener) {
      this.first = this.rest?.shift();
      return;
    }
    const rest = this.rest;
    if (rest === undefined) return;
    const index = rest.indexOf(listener);
    if (index >= 0) rest.splice(index, 1);
  }

  /** A real AbortSignal that aborts with this one, made on first use. */
  toAbortSignal(): AbortSignal {
    if (this.real === undefined) {
      this.real = new AbortController();
      if (this.aborted) this.real.abort(this.reason);
    }
    return this.real.signal;
  }
}

function callListener(listener: () => void): void {
  try {
    listener();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** The signal as a real AbortSignal, for APIs that need one (timers/promises, fetch, `AbortSignal.any`). */
export function abortSignalOf(signal: CancelSignal): AbortSignal {
  if (signal instanceof AbortSignal) return signal;
  if (signal instanceof Cancellation) return signal.toAbortSignal();
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}

/** A cancellation that aborts when `parent` does, with the parent's reason; `unlink` when done with it. */
export function childCancellation(parent: CancelSignal): { cancellation: Cancellation; unlink: () => void } {
  const cancellation = new Cancellation();
  if (parent.aborted) {
    cancellation.abort(parent.reason);
    return { cancellation, unlink: () => {} };
  }
  const onAbort = (): void => cancellation.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { cancellation, unlink: () => parent.removeEventListener('abort', onAbort) };
}
