import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReconnectPolicy } from '../../../extension/client/reconnect-policy';

test('a daemon that keeps dying is given up after the limit; losses spread over time are not', () => {
  let now = 0;
  const policy = new ReconnectPolicy({ maxLosses: 3, windowMs: 60_000, attemptDelaysMs: [0] }, () => now);
  assert.equal(policy.connectionLost(), true);
  assert.equal(policy.connectionLost(), true);
  assert.equal(policy.connectionLost(), true);
  assert.equal(policy.connectionLost(), false, 'the fourth loss within a minute');
  now += 61_000;
  assert.equal(policy.connectionLost(), true, 'old losses fall out of the window');
  policy.reset();
  assert.equal(policy.connectionLost(), true);
});
