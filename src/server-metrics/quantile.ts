import type { HistogramSeries } from './parse.js';

/**
 * The q-quantile (0..1) of a cumulative histogram, as Prometheus' histogram_quantile() computes
 * it: find the bucket the rank falls in and interpolate linearly between its bounds (the first
 * bucket starts at 0; a rank in the +Inf bucket returns the highest finite bound). The answer is
 * only as precise as the buckets. Returns the bucket's bounds too; undefined for no observations.
 */
export function histogramQuantile(
  q: number,
  histogram: HistogramSeries,
): { value: number; lower: number; upper: number } | undefined {
  const buckets = histogram.buckets;
  const total = buckets.at(-1)?.count ?? 0;
  if (buckets.length < 2 || buckets.at(-1)?.le !== Infinity || total <= 0) return undefined;
  const rank = q * total;
  const index = buckets.findIndex((bucket) => bucket.count >= rank);
  if (index === buckets.length - 1) {
    const highest = buckets[buckets.length - 2]!.le;
    return { value: highest, lower: highest, upper: Infinity };
  }
  const bucket = buckets[index]!;
  if (index === 0 && bucket.le <= 0)
    return { value: bucket.le, lower: bucket.le, upper: bucket.le };
  const previous = index === 0 ? { le: 0, count: 0 } : buckets[index - 1]!;
  const inBucket = bucket.count - previous.count;
  const value =
    inBucket > 0
      ? previous.le + ((bucket.le - previous.le) * (rank - previous.count)) / inBucket
      : bucket.le;
  return { value, lower: previous.le, upper: bucket.le };
}

/** end − start, bucket by bucket; a counter that went down means a restart: `end` is all new. */
export function histogramDelta(start: HistogramSeries, end: HistogramSeries): HistogramSeries {
  const reset = end.count < start.count;
  if (reset) return end;
  const startByBound = new Map(start.buckets.map((bucket) => [bucket.le, bucket.count]));
  return {
    buckets: end.buckets.map((bucket) => ({
      le: bucket.le,
      count: bucket.count - (startByBound.get(bucket.le) ?? 0),
    })),
    count: end.count - start.count,
    sum: end.sum - start.sum,
  };
}

/** Sum of histograms with the same bounds (phases of one run). */
export function histogramSum(parts: HistogramSeries[]): HistogramSeries | undefined {
  const [first, ...rest] = parts;
  if (!first) return undefined;
  const counts = new Map(first.buckets.map((bucket) => [bucket.le, bucket.count]));
  for (const part of rest) {
    for (const bucket of part.buckets) {
      counts.set(bucket.le, (counts.get(bucket.le) ?? 0) + bucket.count);
    }
  }
  return {
    buckets: [...counts.entries()].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count })),
    count: parts.reduce((sum, part) => sum + part.count, 0),
    sum: parts.reduce((sum, part) => sum + part.sum, 0),
  };
}
