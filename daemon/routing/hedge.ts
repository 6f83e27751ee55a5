/**
 * Hedged requests: start the primary attempt; if it has not answered within `hedgeAfterMs`
 * (the primary's recent p95 time to first token), start the secondary as well. The first to
 * answer wins and the other is aborted at once through its own cancellation, so the losing
 * upstream stops generating.
 *
 * "Answer" is whatever the attempt's promise resolves with: for a stream, the executor
 * resolves once the first token is in hand, not when the headers arrive.
 */
import { childCancellation, type CancelSignal } from '../core/cancellation';

type AttemptLink = ReturnType<typeof childCancellation>;

export type HedgedAttempt<T> = (signal: CancelSignal) => Promise<T>;

export interface HedgeOptions<T> {
  primary: HedgedAttempt<T>;
  /** Absent when there is no other candidate to hedge to. */
  secondary?: HedgedAttempt<T>;
  hedgeAfterMs: number;
  /** The request's signal (deadline and caller); aborting it aborts both attempts. */
  signal: CancelSignal;
  /** Called with a value that arrived after the race was decided (e.g. to close a stream that lost). */
  discard?: (value: T) => void;
}

export interface HedgeResult<T> {
  value: T;
  /** 0 = primary, 1 = secondary. */
  winner: 0 | 1;
  /** Whether the secondary was started. */
  hedged: boolean;
}

/**
 * Runs the race. Rejects only when every attempt that was started has failed (with the last
 * failure), or immediately when the primary fails before the hedge was due: the executor's
 * own fallback then takes over.
 */
export function runHedged<T>(options: HedgeOptions<T>): Promise<HedgeResult<T>> {
  const { primary, secondary, hedgeAfterMs, signal, discard } = options;
  return new Promise<HedgeResult<T>>((resolve, reject) => {
    // The secondary's cancellation is made only when it is launched: most races end before the hedge is due.
    const links: [AttemptLink, AttemptLink | undefined] = [childCancellation(signal), undefined];
    let decided = false;
    let started = 1;
    let failed = 0;
    let timer: NodeJS.Timeout | undefined;

    const finish = (): void => {
      decided = true;
      if (timer !== undefined) clearTimeout(timer);
    };

    const onValue = (index: 0 | 1, value: T): void => {
      if (decided) {
        discard?.(value);
        return;
      }
      finish();
      // Abort the loser at once. The winner stays linked to the request's signal, so a caller
      // who goes away mid-stream still aborts it.
      const loser = links[index === 0 ? 1 : 0];
      if (loser !== undefined) {
        loser.unlink();
        if (!loser.cancellation.aborted) loser.cancellation.abort(new HedgeLostError());
      }
      resolve({ value, winner: index, hedged: started === 2 });
    };

    const onError = (error: unknown): void => {
      if (decided) return;
      failed++;
      if (failed < started) return; // the other attempt is still running
      // Every started attempt failed. If that was the primary before the hedge was due, the
      // executor's own retry and fallback take over from here.
      finish();
      links[0].unlink();
      links[1]?.unlink();
      reject(error);
    };

    const launch = (index: 0 | 1, link: AttemptLink, attempt: HedgedAttempt<T>): void => {
      links[index] = link;
      let promise: Promise<T>;
      try {
        promise = attempt(link.cancellation);
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.then(
        (value) => onValue(index, value),
        (error: unknown) => onError(error),
      );
    };

    launch(0, links[0], primary);
    if (secondary !== undefined && !decided) {
      timer = setTimeout(() => {
        timer = undefined;
        if (decided || signal.aborted) return;
        started = 2;
        launch(1, childCancellation(signal), secondary);
      }, Math.max(0, hedgeAfterMs));
    }
  });
}

/** The abort reason given to the attempt that lost a hedge race. */
export class HedgeLostError extends Error {
  constructor() {
    super('Another candidate answered first (hedged request)');
    this.name = 'AbortError';
  }
}
