import * as hdr from 'hdr-histogram-js';
import type { DistributionSummary } from '../domain/results.js';

/**
 * The one place that pins HDR histogram settings and the encoding used in results files and
 * baselines. Values are recorded in microseconds (integers) and reported in milliseconds.
 * 3 significant digits keep every percentile within 0.1% of the true value; the highest
 * trackable value (one hour) covers any request we would not have timed out long before.
 */
export const HISTOGRAM_SETTINGS = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000,
  numberOfSignificantValueDigits: 3 as const,
  unit: 'us',
} as const;

export type Histogram = hdr.Histogram;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    useWebAssembly: false,
    autoResize: false,
    lowestDiscernibleValue: HISTOGRAM_SETTINGS.lowestDiscernibleValue,
    highestTrackableValue: HISTOGRAM_SETTINGS.highestTrackableValue,
    numberOfSignificantValueDigits: HISTOGRAM_SETTINGS.numberOfSignificantValueDigits,
  });
}

/** Records a duration in milliseconds (fractional allowed). */
export function recordMs(histogram: Histogram, valueMs: number): void {
  const micros = Math.round(valueMs * 1000);
  const clamped = Math.min(
    Math.max(micros, HISTOGRAM_SETTINGS.lowestDiscernibleValue),
    HISTOGRAM_SETTINGS.highestTrackableValue,
  );
  histogram.recordValue(clamped);
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Decoded histograms take their range from the payload; copy into our settings so that
  // merges and comparisons always use identical bucket layouts.
  const histogram = createHistogram();
  histogram.add(decoded);
  decoded.destroy();
  return histogram;
}

export function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const merged = createHistogram();
  for (const histogram of histograms) merged.add(histogram);
  return merged;
}

/** The percentiles we report everywhere. */
export const PERCENTILES = [50, 90, 95, 99, 99.9] as const;

function roundMs(micros: number): number {
  return Math.round(micros) / 1000;
}

/** Percentile in ms, clamped to the recorded max (HDR can report a hair above it). */
export function percentileMs(histogram: Histogram, percentile: number): number {
  if (histogram.totalCount === 0) return 0;
  return roundMs(Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue));
}

/** The summary of no samples at all. */
export const EMPTY_SUMMARY: DistributionSummary = Object.freeze({
  count: 0,
  minMs: 0,
  meanMs: 0,
  p50Ms: 0,
  p90Ms: 0,
  p95Ms: 0,
  p99Ms: 0,
  p999Ms: 0,
  maxMs: 0,
  stdDevMs: 0,
});

export function summarizeHistogram(histogram: Histogram): DistributionSummary {
  if (histogram.totalCount === 0) return { ...EMPTY_SUMMARY };
  return {
    ...percentileFigures(histogram),
    minMs: roundMs(histogram.minNonZeroValue),
    meanMs: roundMs(histogram.mean),
    p999Ms: percentileMs(histogram, 99.9),
    stdDevMs: roundMs(histogram.stdDeviation),
  };
}

/** The figures the gate reads, without the mean, minimum and deviation (each a full scan). */
export function percentileFigures(
  histogram: Histogram,
): Pick<DistributionSummary, 'count' | 'p50Ms' | 'p90Ms' | 'p95Ms' | 'p99Ms' | 'maxMs'> {
  return {
    count: histogram.totalCount,
    p50Ms: percentileMs(histogram, 50),
    p90Ms: percentileMs(histogram, 90),
    p95Ms: percentileMs(histogram, 95),
    p99Ms: percentileMs(histogram, 99),
    maxMs: histogram.totalCount === 0 ? 0 : roundMs(histogram.maxValue),
  };
}

/**
 * The recorded values as (value in ms, count) pairs, lowest first: what the gate's bootstrap
 * resamples from, so that comparisons use the whole distribution and not two scalars. Read
 * straight from the counts array: the library's iterator allocates per step and is 20× slower,
 * which matters when bench/gate.ts runs the gate a hundred thousand times.
 */
export function histogramBuckets(histogram: Histogram): Array<{ valueMs: number; count: number }> {
  const counts = histogram as unknown as hdr.JsHistogram;
  const buckets: Array<{ valueMs: number; count: number }> = [];
  let seen = 0;
  for (let index = 0; seen < counts.totalCount; index++) {
    const count = counts.getCountAtIndex(index);
    if (count === 0) continue;
    seen += count;
    // Buckets tile the value range, so a bucket's highest value is just below the next one's
    // lowest: the same as highestEquivalentValue, at a third of the cost.
    const value = counts.valueFromIndex(index + 1) - 1;
    buckets.push({ valueMs: value / 1000, count });
  }
  return buckets;
}
