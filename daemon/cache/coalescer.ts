/**
 * Request coalescing: identical requests in flight at the same time share one upstream call.
 *
 * The first request for a key starts the call; later ones join it. A streamed upstream answer
 * is pumped into a buffer that every waiter reads from the start at its own pace, so a waiter
 * that joins late still gets the whole answer, and a non-streamed waiter gets the assembled
 * response. The upstream call has its own cancellation, aborted only when every waiter has
 * gone: one client leaving never cuts the answer off for the others, and when the last one
 * leaves the upstream (a local model, say) stops at once.
 */
import { Cancellation, type CancelSignal } from '../core/cancellation';
import type { GatewayResponse, StreamEvent, Usage } from '../../shared/gateway';
import { streamEvents, type CacheStatus, type GatewayResult, type ServedBy } from '../core/pipeline';
import type { VerifiableKey } from './cache-key';
import { responseEvents, StreamAssembler, withFreshIdentity } from './cached-entry';

export interface SharedOutcome {
  result: GatewayResult;
  /** How the shared call was answered for the one who started it (MISS, or HIT when a store had it). */
  status: CacheStatus;
}

export interface CompletedCall {
  response: GatewayResponse;
  servedBy: ServedBy;
  status: CacheStatus;
}

export class SharedCall {
  private readonly cancellation = new Cancellation();
  private waiters = 0;
  private answered?: Promise<void>;
  private servedBy?: ServedBy;
  private status: CacheStatus = 'MISS';
  private response?: GatewayResponse;
  private readonly events: StreamEvent[] = [];
  private assembler?: StreamAssembler;
  private done = false;
  private failure?: { error: unknown };
  private wake?: () => void;
  private progress?: Promise<void>;

  constructor(
    /** The key of the request that started the call: one that joins must have the same digest. */
    readonly key: VerifiableKey,
    private readonly model: string,
    private readonly estimateUsage: () => Usage,
    private readonly onComplete: (call: CompletedCall) => void,
    private readonly onSettled: () => void,
  ) {}

  /** The signal the upstream call must use. */
  get signal(): CancelSignal {
    return this.cancellation;
  }

  /** Starts the upstream call; called once, by the coalescer. */
  start(run: (signal: CancelSignal) => Promise<SharedOutcome>): void {
    this.answered = run(this.cancellation).then(
      (outcome) => {
        this.servedBy = outcome.result.servedBy;
        this.status = outcome.status;
        if (outcome.result.type === 'response') {
          this.response = outcome.result.response;
          this.finish();
        } else {
          this.assembler = new StreamAssembler();
          void this.pump(streamEvents(outcome.result));
        }
      },
      (error: unknown) => {
        this.failure = { error };
        this.finish();
        throw error;
      },
    );
    // Waiters observe the failure through `join`; this keeps an unwatched rejection quiet.
    this.answered.catch(() => {});
  }

  /**
   * One waiter's view of the call, in the form it asked for. `status` is what the waiter is
   * told (`COALESCED` for those who joined). Rejects with the upstream error, or with the
   * waiter's own abort reason if it leaves before the answer.
   */
  async join(stream: boolean, signal: CancelSignal, status: CacheStatus | 'LEADER'): Promise<GatewayResult> {
    this.waiters++;
    let leftEarly = false;
    const leave = (): void => {
      if (leftEarly) return;
      leftEarly = true;
      this.leave();
    };
    try {
      if (signal.aborted) throw signal.reason;
      await raceAbort(this.answered!, signal);
      if (this.failure !== undefined) throw this.failure.error;
      const cache = status === 'LEADER' ? this.status : status;
      const servedBy = { ...this.servedBy!, cache };
      if (stream) {
        // A stream the door never starts reading never runs its `finally`: the abort covers that.
        signal.addEventListener('abort', leave, { once: true });
        return { type: 'stream', events: this.follow(leave, status !== 'LEADER'), servedBy };
      }
      await raceAbort(this.whenDone(), signal);
      this.throwIfFailed();
      const response = this.response ?? this.assembler!.response(this.model, this.estimateUsage)!;
      leave();
      // Those who joined get the leader's answer as a response of their own.
      return { type: 'response', response: status === 'LEADER' ? response : withFreshIdentity(response), servedBy };
    } catch (error) {
      leave();
      throw error;
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }

  private async *follow(leave: () => void, freshIdentity: boolean): AsyncGenerator<StreamEvent> {
    try {
      if (this.response !== undefined) {
        yield* responseEvents(freshIdentity ? withFreshIdentity(this.response) : this.response);
        return;
      }
      let index = 0;
      for (;;) {
        while (index < this.events.length) {
          const event = this.events[index++]!;
          yield freshIdentity && event.type === 'end' ? { ...event, id: withFreshIdentity(this.response!).id } : event;
        }
        if (this.done) {
          if (this.failure !== undefined) throw this.failure.error;
          return;
        }
        await this.nextProgress();
      }
    } finally {
      leave();
    }
  }

  /**
   * Buffers the upstream stream for the waiters. The call is complete, and stored, when the `end`
   * event arrives, before any waiter sees it: a waiter's door stops reading at that event, and
   * the last one to leave would otherwise abort a call that had in fact finished.
   */
  private async pump(events: AsyncIterable<StreamEvent>): Promise<void> {
    try {
      for await (const event of events) {
        if (this.done) continue;
        this.events.push(event);
        this.assembler!.add(event);
        if (event.type === 'end') {
          this.response = this.assembler!.response(this.model, this.estimateUsage);
          this.finish();
        } else {
          this.notify();
        }
      }
      if (!this.done) throw new Error('the upstream stream ended without its end event');
    } catch (error) {
      if (!this.done) this.failure = { error };
    }
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.failure === undefined && this.response !== undefined && !this.cancellation.aborted) {
      try {
        this.onComplete({ response: this.response, servedBy: this.servedBy!, status: this.status });
      } catch {
        // Storing is best effort; the waiters still get their answer.
      }
    }
    this.onSettled();
    this.notify();
  }

  private leave(): void {
    this.waiters--;
    if (this.waiters === 0 && !this.done) this.cancellation.abort(new DOMException('Every client of a shared request went away', 'AbortError'));
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    this.progress = undefined;
    wake?.();
  }

  private nextProgress(): Promise<void> {
    this.progress ??= new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    return this.progress;
  }

  private async whenDone(): Promise<void> {
    while (!this.done) await this.nextProgress();
  }
}

/**
 * The calls in flight, by the index of their key. Two different requests can share an index:
 * the caller compares digests (`call.key`) before joining a call.
 */
export class Coalescer {
  private readonly calls = new Map<string, SharedCall>();

  get inFlight(): number {
    return this.calls.size;
  }

  /**
   * The call a new request can join. One that every waiter has left is aborted and only
   * unwinding: joining it would hand the newcomer that abort as its error, so it starts afresh.
   */
  get(index: string): SharedCall | undefined {
    const call = this.calls.get(index);
    return call === undefined || call.signal.aborted ? undefined : call;
  }

  /**
   * Starts a shared call for the key, in place of any other under its index. `onComplete` runs
   * (to store the answer) before the call stops being joinable.
   */
  start(
    key: VerifiableKey,
    model: string,
    estimateUsage: () => Usage,
    run: (signal: CancelSignal) => Promise<SharedOutcome>,
    onComplete: (call: CompletedCall) => void,
  ): SharedCall {
    const call = new SharedCall(key, model, estimateUsage, onComplete, () => {
      if (this.calls.get(key.index) === call) this.calls.delete(key.index);
    });
    this.calls.set(key.index, call);
    call.start(run);
    return call;
  }
}

function raceAbort<T>(promise: Promise<T>, signal: CancelSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
