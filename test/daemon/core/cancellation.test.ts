import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Pool } from 'undici';
import { abortSignalOf, Cancellation, childCancellation } from '../../../daemon/core/cancellation';
import { isAbortError } from '../../../daemon/core/errors';

describe('Cancellation', () => {
  it('calls each listener once, in the order added, with the reason set; none added later', () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    const first = (): void => void calls.push(`first:${String(cancellation.reason)}`);
    cancellation.addEventListener('abort', first);
    cancellation.addEventListener('abort', first); // the same listener twice is one listener, as on an EventTarget
    cancellation.addEventListener('abort', () => calls.push('second'));
    cancellation.addEventListener('abort', () => calls.push('third'));
    cancellation.abort('why');
    cancellation.abort('again');
    cancellation.addEventListener('abort', () => calls.push('late'));
    assert.deepEqual(calls, ['first:why', 'second', 'third']);
    assert.equal(cancellation.aborted, true);
    assert.equal(cancellation.reason, 'why');
  });

  it('an abort without a reason carries an AbortError, as AbortController gives', () => {
    const cancellation = new Cancellation();
    cancellation.abort();
    assert.ok(isAbortError(cancellation.reason));
  });

  it('a removed listener is not called, whichever position it had', () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    const a = (): void => void calls.push('a');
    const b = (): void => void calls.push('b');
    const c = (): void => void calls.push('c');
    for (const listener of [a, b, c]) cancellation.addEventListener('abort', listener);
    cancellation.removeEventListener('abort', a);
    cancellation.removeEventListener('abort', c);
    cancellation.abort();
    assert.deepEqual(calls, ['b']);
  });

  it('gives a real AbortSignal on demand, in step before and after the abort', () => {
    const early = new Cancellation();
    const signal = abortSignalOf(early);
    assert.ok(signal instanceof AbortSignal);
    assert.equal(signal.aborted, false);
    early.abort('gone');
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, 'gone');
    const late = new Cancellation();
    late.abort('already');
    assert.equal(abortSignalOf(late).reason, 'already');
    const native = new AbortController().signal;
    assert.equal(abortSignalOf(native), native);
  });

  it('a child follows its parent until unlinked', () => {
    const parent = new Cancellation();
    const linked = childCancellation(parent);
    const unlinked = childCancellation(parent);
    unlinked.unlink();
    parent.abort('parent gone');
    assert.equal(linked.cancellation.reason, 'parent gone');
    assert.equal(unlinked.cancellation.aborted, false);
    const ofAborted = childCancellation(parent);
    assert.equal(ofAborted.cancellation.reason, 'parent gone');
  });

  it('undici takes it as a request signal: aborting it stops the call with the reason', async () => {
    const server: Server = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const cancellation = new Cancellation();
      const pending = pool.request({ method: 'GET', path: '/', signal: cancellation });
      setTimeout(() => cancellation.abort(new Error('deadline passed')), 20);
      await assert.rejects(pending, /deadline passed/);
      // The request left its listener behind on neither outcome: a second abort calls nothing.
      const done = new Cancellation();
      const answered = createServer((_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => answered.listen(0, '127.0.0.1', resolve));
      const other = new Pool(`http://127.0.0.1:${(answered.address() as AddressInfo).port}`);
      const response = await other.request({ method: 'GET', path: '/', signal: done });
      assert.equal(await response.body.text(), 'ok');
      await other.close();
      answered.close();
    } finally {
      await pool.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
