import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemorySample {
  /** Seconds since the soak began. */
  atSeconds: number;
  requests: number;
  /** Heap in use right after a full GC: what the program holds on to, not garbage. */
  heapUsedMb: number;
  rssMb: number;
}

/**
 * A full-GC function without restarting node with --expose-gc: sampling the heap right after a
 * collection is what tells a leak from garbage that has not been collected yet.
 */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export function sampleMemory(gc: () => void, atSeconds: number, requests: number): MemorySample {
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 100) / 100;
  return { atSeconds, requests, heapUsedMb: mb(heapUsed), rssMb: mb(rss) };
}

/** Least-squares slope of `valueOf` against time, in MB per minute (0 with fewer than 2). */
export function slopeMbPerMinute(
  samples: readonly MemorySample[],
  valueOf: (sample: MemorySample) => number,
): number {
  if (samples.length < 2) return 0;
  const meanT = samples.reduce((sum, s) => sum + s.atSeconds, 0) / samples.length;
  const meanV = samples.reduce((sum, s) => sum + valueOf(s), 0) / samples.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.atSeconds - meanT) * (valueOf(sample) - meanV);
    variance += (sample.atSeconds - meanT) ** 2;
  }
  return variance > 0 ? (covariance / variance) * 60 : 0;
}

export interface Flatness {
  firstHalfSlopeMbPerMinute: number;
  lastHalfSlopeMbPerMinute: number;
  /** Mean post-GC heap of the last third minus that of the first third. */
  heapGrowthMb: number;
  rssGrowthMb: number;
  flat: boolean;
}

/** Post-GC heap growth a long run may still show once warm: ~15 MB over 30 minutes at most. */
export const FLAT_SLOPE_MB_PER_MINUTE = 0.5;

/**
 * A leak keeps growing at the same pace to the end; warm-up (JIT code, pools, lazily loaded
 * modules) grows early and stops. So the verdict looks at the last half's slope, beside the
 * first half's for contrast.
 */
export function flatness(samples: readonly MemorySample[]): Flatness {
  const half = Math.floor(samples.length / 2);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (values: MemorySample[], valueOf: (sample: MemorySample) => number) =>
    values.reduce((sum, sample) => sum + valueOf(sample), 0) / Math.max(1, values.length);
  const first = samples.slice(0, third);
  const last = samples.slice(-third);
  const heap = (sample: MemorySample) => sample.heapUsedMb;
  const rss = (sample: MemorySample) => sample.rssMb;
  const lastHalfSlope = slopeMbPerMinute(samples.slice(half), heap);
  return {
    firstHalfSlopeMbPerMinute: slopeMbPerMinute(samples.slice(0, half + 1), heap),
    lastHalfSlopeMbPerMinute: lastHalfSlope,
    heapGrowthMb: mean(last, heap) - mean(first, heap),
    rssGrowthMb: mean(last, rss) - mean(first, rss),
    flat: lastHalfSlope <= FLAT_SLOPE_MB_PER_MINUTE,
  };
}
