import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CancelSignal } from '../../../daemon/core/cancellation';
import { runHedged } from '../../../daemon/routing/hedge';

/** An attempt that resolves with `value` after `ms`, and records whether it was aborted. */
function fakeAttempt(ms: number, value: string, log: { aborted: string[] }, fail = false) {
  return (signal: CancelSignal) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => (fail ? reject(new Error(`${value} failed`)) : resolve(value)), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        log.aborted.push(value);
        reject(signal.reason);
      });
    });
}

describe('hedging runner', () => {
  it('does not hedge when the primary answers in time', async () => {
    const log = { aborted: [] as string[] };
    const result = await runHedged({ primary: fakeAttempt(5, 'a', log), secondary: fakeAttempt(5, 'b', log), hedgeAfterMs: 200, signal: new AbortController().signal });
    assert.deepEqual(result, { value: 'a', winner: 0, hedged: false });
    assert.deepEqual(log.aborted, []);
  });

  it('hedges after the delay, serves the first answer and aborts the loser at once', async () => {
    const log = { aborted: [] as string[] };
    const result = await runHedged({ primary: fakeAttempt(5_000, 'slow', log), secondary: fakeAttempt(5, 'fast', log), hedgeAfterMs: 20, signal: new AbortController().signal });
    assert.deepEqual(result, { value: 'fast', winner: 1, hedged: true });
    assert.deepEqual(log.aborted, ['slow']);
  });

  it('when the primary fails after the hedge started, waits for the secondary', async () => {
    const log = { aborted: [] as string[] };
    const result = await runHedged({ primary: fakeAttempt(40, 'a', log, true), secondary: fakeAttempt(60, 'b', log), hedgeAfterMs: 10, signal: new AbortController().signal });
    assert.equal(result.value, 'b');
  });

  it('rejects at once when the primary fails before the hedge is due', async () => {
    const log = { aborted: [] as string[] };
    const started = performance.now();
    await assert.rejects(runHedged({ primary: fakeAttempt(5, 'a', log, true), secondary: fakeAttempt(5, 'b', log), hedgeAfterMs: 5_000, signal: new AbortController().signal }), /a failed/);
    assert.ok(performance.now() - started < 2_000);
  });

  it('rejects when both fail, and the request signal aborts both', async () => {
    const log = { aborted: [] as string[] };
    await assert.rejects(runHedged({ primary: fakeAttempt(30, 'a', log, true), secondary: fakeAttempt(10, 'b', log, true), hedgeAfterMs: 5, signal: new AbortController().signal }));
    const controller = new AbortController();
    const pending = runHedged({ primary: fakeAttempt(5_000, 'a', log), secondary: fakeAttempt(5_000, 'b', log), hedgeAfterMs: 5, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client gone')), 30);
    await assert.rejects(pending, /client gone/);
    assert.deepEqual(log.aborted.sort(), ['a', 'b']);
  });

  it('discards a late answer from the loser', async () => {
    const discarded: string[] = [];
    const ignoresAbort = (ms: number, value: string) => () => new Promise<string>((resolve) => setTimeout(() => resolve(value), ms));
    const result = await runHedged({ primary: ignoresAbort(30, 'late'), secondary: ignoresAbort(1, 'first'), hedgeAfterMs: 5, signal: new AbortController().signal, discard: (v) => discarded.push(v) });
    assert.equal(result.value, 'first');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(discarded, ['late']);
  });
});
