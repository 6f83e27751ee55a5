import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimelineRecorder } from '../../../bench/metrics/timeline';

function record(count: number, spanMs: number, latencyMs: (i: number) => number | null) {
  const t = new TimelineRecorder();
  t.start(1000);
  for (let i = 0; i < count; i++) t.record(1000 + (i * spanMs) / count, latencyMs(i));
  return t.finish();
}

test('a busy phase gets fine windows whose counts add up and whose rate is per second', () => {
  const points = record(20_000, 10_000, () => 5);
  assert.ok(points.length >= 40 && points.length <= 120, `${points.length} windows`);
  assert.equal(points.reduce((n, p) => n + p.requests, 0), 20_000);
  const middle = points[Math.floor(points.length / 2)]!;
  assert.ok(Math.abs(middle.requestsPerSecond - 2000) < 50, `${middle.requestsPerSecond} req/s`);
  assert.ok(Math.abs(middle.p99Ms! - 5) < 0.01);
});

test('a trickle gets windows wide enough to hold a rate, and errors are counted apart', () => {
  const points = record(30, 6000, (i) => (i % 10 === 0 ? null : 8));
  assert.ok(points.length === 3, `${points.length} windows of ${points[0]!.windowSec} s`);
  assert.equal(points.reduce((n, p) => n + p.errors, 0), 3);
  assert.ok(points.every((p) => p.requestsPerSecond === 5));
});

test('a phase with no request has no timeline', () => {
  assert.deepEqual(new TimelineRecorder().finish(), []);
});
