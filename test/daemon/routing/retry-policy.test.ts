import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../../daemon/core/errors';
import { backoffDelayMs, classifyFailure, decideRetry, DEFAULT_RETRY_OPTIONS } from '../../../daemon/routing/retry-policy';

const options = { ...DEFAULT_RETRY_OPTIONS, retriesPerCandidate: 2, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 2_000 };

describe('retry policy', () => {
  it('classifies the caller’s own 4xx as final, and 5xx, timeouts and connection errors as retryable', () => {
    assert.equal(classifyFailure(new GatewayError('upstreamRejected', 'bad', { status: 404 })).retryable, false);
    assert.equal(classifyFailure(new GatewayError('upstreamRejected', 'bad', { status: 401 })).kind, 'caller');
    const fiveHundred = classifyFailure(new GatewayError('upstreamError', 'boom', { retryable: true }));
    assert.equal(fiveHundred.kind, 'upstream');
    assert.equal(fiveHundred.countsAgainstHealth, true);
    assert.equal(classifyFailure(new GatewayError('upstreamTimeout', 'slow', { retryable: true })).retryable, true);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    assert.equal(classifyFailure(reset).kind, 'upstream');
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    assert.equal(classifyFailure(abort).kind, 'cancelled');
    assert.equal(classifyFailure(new GatewayError('deadlineExceeded', 'late')).kind, 'deadline');
  });

  it('a budget refusal or an unsupported request moves to the next candidate without counting against health', () => {
    for (const code of ['budgetExceeded', 'unsupported'] as const) {
      const failure = classifyFailure(new GatewayError(code, 'no'));
      assert.equal(failure.kind, 'candidate');
      assert.equal(failure.countsAgainstHealth, false);
      assert.equal(decideRetry(failure, 0, 10_000, options).action, 'next');
    }
  });

  it('429 is retryable, carries Retry-After, and does not count against health', () => {
    const failure = classifyFailure(new GatewayError('upstreamRateLimited', 'slow down', { retryable: true, retryAfterMs: 1_500 }));
    assert.equal(failure.kind, 'rate_limited');
    assert.equal(failure.retryAfterMs, 1_500);
    assert.equal(failure.countsAgainstHealth, false);
  });

  it('backs off exponentially with jitter, bounded', () => {
    assert.equal(backoffDelayMs(0, options, () => 0), 50);
    assert.equal(backoffDelayMs(0, options, () => 1), 100);
    assert.equal(backoffDelayMs(2, options, () => 1), 400);
    assert.equal(backoffDelayMs(10, options, () => 1), 1_000);
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelayMs(1, options);
      assert.ok(delay >= 100 && delay <= 200);
    }
  });

  it('retries the same candidate, then moves on; honours a short Retry-After and skips a long one', () => {
    const upstream = classifyFailure(new GatewayError('upstreamUnavailable', 'down', { retryable: true }));
    assert.equal(decideRetry(upstream, 0, 10_000, options, () => 0).action, 'retry');
    assert.equal(decideRetry(upstream, 2, 10_000, options).action, 'next');
    assert.equal(decideRetry(upstream, 0, 10, options).action, 'next', 'no time left for the backoff');
    const short = classifyFailure(new GatewayError('upstreamRateLimited', 'x', { retryable: true, retryAfterMs: 700 }));
    assert.deepEqual(decideRetry(short, 0, 10_000, options, () => 0), { action: 'retry', delayMs: 700 });
    const long = classifyFailure(new GatewayError('upstreamRateLimited', 'x', { retryable: true, retryAfterMs: 30_000 }));
    assert.equal(decideRetry(long, 0, 60_000, options).action, 'next');
    const caller = classifyFailure(new GatewayError('upstreamRejected', 'x', { status: 400 }));
    assert.equal(decideRetry(caller, 0, 10_000, options).action, 'stop');
  });
});
