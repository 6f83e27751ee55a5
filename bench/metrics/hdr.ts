/** HDR histograms of integer microseconds: one configuration for the whole benchmark. */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** Up to one hour in microseconds at 3 significant digits. */
export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: false,
  });
}

export function recordMicros(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Sums encoded histograms into a fresh one. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const sum = createHistogram();
  for (const e of encoded) sum.add(decodeHistogram(e));
  return sum;
}
