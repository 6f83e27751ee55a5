import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from '../../../daemon/routing/circuit-breaker';

const options = { failureThreshold: 3, errorRateThreshold: 0.5, minimumRequests: 10, windowSize: 10, cooldownMs: 1_000 };

describe('circuit breaker', () => {
  it('opens after consecutive failures, half-opens after the cooldown, and closes on a good trial', () => {
    const breaker = new CircuitBreaker(options);
    breaker.onFailure(0);
    breaker.onFailure(1);
    assert.equal(breaker.state(2), 'closed');
    breaker.onFailure(2);
    assert.equal(breaker.state(3), 'open');
    assert.equal(breaker.acquire(500), false);
    assert.equal(breaker.state(1_002), 'half_open');
    assert.equal(breaker.acquire(1_002), true, 'one trial');
    assert.equal(breaker.acquire(1_003), false, 'only one trial at a time');
    assert.equal(breaker.allows(1_003), false);
    breaker.onSuccess();
    assert.equal(breaker.state(1_004), 'closed');
    assert.equal(breaker.acquire(1_004), true);
  });

  it('a failed trial reopens it for a new cooldown', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.onFailure(0);
    assert.equal(breaker.acquire(1_000), true);
    breaker.onFailure(1_000);
    assert.equal(breaker.state(1_500), 'open');
    assert.equal(breaker.state(2_000), 'half_open');
    assert.equal(breaker.opens, 2);
  });

  it('a neutral outcome frees the trial without changing state', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.onFailure(0);
    assert.equal(breaker.acquire(1_000), true);
    breaker.onNeutral();
    assert.equal(breaker.state(1_000), 'half_open');
    assert.equal(breaker.acquire(1_000), true);
  });

  it('opens on the error rate over the window once enough requests were seen', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 9; i++) {
      if (i % 2 === 0) breaker.onFailure(i);
      else breaker.onSuccess();
    }
    assert.equal(breaker.state(10), 'closed', 'too few requests to trust the rate');
    breaker.onFailure(10); // 10 outcomes, 6 failures, 2 in a row
    assert.equal(breaker.state(11), 'open');
  });

  it('successes reset the consecutive count', () => {
    const breaker = new CircuitBreaker({ ...options, errorRateThreshold: 1 });
    for (let i = 0; i < 10; i++) {
      breaker.onFailure(i);
      breaker.onFailure(i);
      breaker.onSuccess();
    }
    assert.equal(breaker.state(100), 'closed');
  });
});
