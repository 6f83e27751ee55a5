import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributionFromEncoded } from '../../../bench/metrics/distribution';
import { createHistogram, decodeHistogram, encodeHistogram, mergeEncoded, recordMicros } from '../../../bench/metrics/hdr';

test('encoded histograms in the report decode and merge exactly', () => {
  const a = createHistogram();
  const b = createHistogram();
  for (let i = 1; i <= 1000; i++) recordMicros(a, i / 100); // 0.01 .. 10 ms
  for (let i = 1; i <= 1000; i++) recordMicros(b, 10 + i / 100); // 10 .. 20 ms
  const merged = mergeEncoded([encodeHistogram(a), encodeHistogram(b)]);
  assert.equal(merged.totalCount, 2000);
  assert.ok(Math.abs(merged.getValueAtPercentile(50) / 1000 - 10) < 0.02);
  assert.equal(decodeHistogram(encodeHistogram(a)).totalCount, 1000);
  const d = distributionFromEncoded(encodeHistogram(merged))!;
  assert.equal(d.buckets.reduce((s, x) => s + x.count, 0), 2000);
  assert.ok(Math.abs(d.summary.p99Ms - 19.8) < 0.05, `${d.summary.p99Ms}`);
  assert.ok(d.curve.every((c, i) => i === 0 || c.ms >= d.curve[i - 1]!.ms), 'the curve never goes down');
  assert.equal(distributionFromEncoded(null), null);
});
