/** From an HDR histogram (integer microseconds) to the report's distribution: summary, curve, buckets. */
import type { Distribution, LatencySummary } from '../../shared/report/schema';
import { decodeHistogram, encodeHistogram, type Histogram } from './hdr';

const CURVE_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 100];
const BUCKETS = 40;

interface RecordedIterator {
  reset(): void;
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
}

const ms = (us: number) => Math.round(us) / 1000;

export function summarize(h: Histogram): LatencySummary {
  return {
    count: h.totalCount,
    minMs: ms(h.minNonZeroValue),
    meanMs: ms(h.mean),
    p50Ms: ms(h.getValueAtPercentile(50)),
    p90Ms: ms(h.getValueAtPercentile(90)),
    p95Ms: ms(h.getValueAtPercentile(95)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    p999Ms: ms(h.getValueAtPercentile(99.9)),
    maxMs: ms(h.maxValue),
  };
}

export function toDistribution(h: Histogram): Distribution | null {
  if (h.totalCount === 0) return null;
  return {
    summary: summarize(h),
    curve: CURVE_PERCENTILES.map((p) => ({ percentile: p, ms: ms(p === 0 ? h.minNonZeroValue : h.getValueAtPercentile(p)) })),
    buckets: bucketize(h),
    hdr: encodeHistogram(h),
  };
}

export function distributionFromEncoded(encoded: string | null): Distribution | null {
  return encoded ? toDistribution(decodeHistogram(encoded)) : null;
}

/** Linear buckets from min to p99.9; the last one also holds the tail up to max. */
function bucketize(h: Histogram): Distribution['buckets'] {
  const lo = h.minNonZeroValue;
  const hi = Math.max(h.getValueAtPercentile(99.9), lo + 1);
  const width = (hi - lo) / BUCKETS;
  const counts = new Array<number>(BUCKETS).fill(0);
  const it = (h as unknown as { recordedValuesIterator: RecordedIterator }).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    const index = Math.min(BUCKETS - 1, Math.max(0, Math.floor((v.valueIteratedTo - lo) / width)));
    counts[index]! += v.countAtValueIteratedTo;
  }
  return counts.map((count, i) => ({ fromMs: ms(lo + i * width), toMs: ms(i === BUCKETS - 1 ? Math.max(h.maxValue, lo + (i + 1) * width) : lo + (i + 1) * width), count }));
}
