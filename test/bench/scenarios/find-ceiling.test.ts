import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCeiling } from '../../../bench/scenarios/find-ceiling';

const point = (concurrency: number, requestsPerSecond: number, p99Ms: number) => ({ concurrency, phase: `c${concurrency}`, requestsPerSecond, p50Ms: p99Ms / 2, p99Ms });

test('the ceiling is the last level before throughput flattens while p99 climbs', () => {
  const ceiling = findCeiling([point(1, 50, 21), point(10, 480, 23), point(50, 520, 110), point(100, 515, 220)]);
  assert.equal(ceiling?.concurrency, 10);
  assert.match(ceiling!.reason, /from 10 to 50 concurrent/);
});

test('no ceiling while throughput still grows with concurrency', () => {
  assert.equal(findCeiling([point(1, 50, 20), point(10, 490, 21), point(50, 2400, 22), point(100, 4700, 25)]), null);
});

test('a flat throughput with a flat tail is not a ceiling (nothing queues)', () => {
  assert.equal(findCeiling([point(1, 100, 10), point(2, 101, 10.5)]), null);
});

test('a noisy flat level followed by more growth is not the ceiling', () => {
  const ceiling = findCeiling([point(1, 112, 36), point(10, 728, 28), point(50, 1004, 94), point(100, 2058, 82), point(200, 2100, 160)]);
  assert.equal(ceiling?.concurrency, 100);
});
