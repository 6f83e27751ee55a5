import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, upperMedian } from '../../../bench/metrics/median';

test('median averages the two middle runs; upperMedian takes the upper one', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(upperMedian([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(upperMedian([4, 1, 3, 2]), 3);
  assert.ok(Number.isNaN(median([])));
});

test('neither reorders the caller’s runs', () => {
  const runs = [3, 1, 2];
  median(runs);
  upperMedian(runs);
  assert.deepEqual(runs, [3, 1, 2]);
});
