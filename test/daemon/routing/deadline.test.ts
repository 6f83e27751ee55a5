import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGatewayError } from '../../../daemon/core/errors';
import type { RequestContext } from '../../../daemon/core/pipeline';
import { Deadline, DEFAULT_DEADLINES, resolveDeadlineMs } from '../../../daemon/routing/deadline';
import type { GatewayRequest } from '../../../shared/gateway';

function context(door: RequestContext['door'], deadlineMs?: number, inlineCompletion?: boolean): RequestContext {
  return { signal: new AbortController().signal, door, directives: { deadlineMs, inlineCompletion }, requestId: 'r', receivedAt: performance.now() };
}
const chat: GatewayRequest = { kind: 'chat', model: 'm', messages: [], stream: false, params: {} };
const fim: GatewayRequest = { kind: 'completion', model: 'm', prompt: 'a', suffix: 'b', stream: true, params: {} };
const plain: GatewayRequest = { kind: 'completion', model: 'm', prompt: 'a', stream: false, params: {} };

describe('deadlines', () => {
  it('comes from the header, then the route, then the default for the kind, tight for inline completion', () => {
    assert.equal(resolveDeadlineMs(chat, context('openai', 2_500), 9_000, DEFAULT_DEADLINES), 2_500);
    assert.equal(resolveDeadlineMs(chat, context('openai'), 9_000, DEFAULT_DEADLINES), 9_000);
    assert.equal(resolveDeadlineMs(chat, context('openai'), undefined, DEFAULT_DEADLINES), DEFAULT_DEADLINES.chatMs);
    assert.equal(resolveDeadlineMs(fim, context('openai'), undefined, DEFAULT_DEADLINES), DEFAULT_DEADLINES.completionMs);
    assert.equal(resolveDeadlineMs(fim, context('openai', undefined, true), undefined, DEFAULT_DEADLINES), 1_000);
    assert.equal(resolveDeadlineMs(plain, context('lsp'), undefined, DEFAULT_DEADLINES), 1_000);
    assert.equal(resolveDeadlineMs(plain, context('openai'), undefined, DEFAULT_DEADLINES), DEFAULT_DEADLINES.completionMs);
  });

  it('aborts with a deadline error when it passes, and with the caller’s reason when the caller goes away', async () => {
    const deadline = new Deadline(20, performance.now(), new AbortController().signal);
    // The deadline's timer does not hold the process (a request's socket does in the daemon): this one does here.
    const holding = setInterval(() => {}, 1_000);
    await new Promise<void>((resolve) => deadline.signal.addEventListener('abort', () => resolve()));
    clearInterval(holding);
    assert.ok(isGatewayError(deadline.signal.reason));
    assert.equal(deadline.signal.reason.status, 504);
    assert.ok(deadline.expired());

    const caller = new AbortController();
    const other = new Deadline(10_000, performance.now(), caller.signal);
    caller.abort(new Error('gone'));
    assert.equal((other.signal.reason as Error).message, 'gone');
    other.dispose();
    other.dispose();
  });

  it('stopClock keeps the caller link but stops the timer', async () => {
    const caller = new AbortController();
    const deadline = new Deadline(10, performance.now(), caller.signal);
    deadline.stopClock();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(deadline.signal.aborted, false);
    caller.abort(new Error('gone'));
    assert.equal(deadline.signal.aborted, true);
    deadline.dispose();
  });
});
