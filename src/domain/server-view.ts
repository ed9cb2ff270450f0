/** The servers whose metric families we know (src/server-metrics/families.ts). */
export const SERVER_KINDS = ['vllm', 'sglang', 'tgi', 'llamacpp'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** The latency figures we read from histograms, by the name used in results and thresholds. */
export const SERVER_LATENCIES = ['ttft', 'queue_time', 'itl', 'tpot', 'e2e'] as const;
export type ServerLatency = (typeof SERVER_LATENCIES)[number];

export const SERVER_VIEW_SCHEMA = 'llm-perf-gate/server@1';

/**
 * A latency the server measured, over the measured phases. Percentiles are interpolated within
 * histogram buckets as Prometheus' histogram_quantile() does, so they are only as precise as
 * the server's buckets; the mean is exact (histogram sum / count). Figures from counters
 * (llama.cpp) have a mean only.
 */
export interface ServerDistribution {
  count: number;
  meanMs: number;
  p50Ms?: number;
  p90Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** The bucket bounds (ms) the p95 fell between: its precision. */
  p95BucketMs?: [number, number];
  /**
   * The first bucket's upper bound (ms). A percentile at or below it was interpolated from 0 and
   * says only "≤ this" (all of a fast queue lands in vLLM's first 300 ms bucket).
   */
  firstBucketMs?: number;
}

/** A gauge sampled during the phases: scrapes taken while the load ran (start and end excluded
 *  when there are any in between, since the server idles then). */
export interface GaugeFigures {
  mean: number;
  min: number;
  max: number;
  samples: number;
}

/** The server's own view of the run, from its Prometheus metrics (docs/results-schema.md). */
export interface ServerView {
  schema: typeof SERVER_VIEW_SCHEMA;
  /** The recognised server, or `unknown` (then only the generic view is filled). */
  server: ServerKind | 'unknown';
  serverLabel: string;
  /** The metrics URL without credentials. */
  url: string;
  scrapes: number;
  failedScrapes: number;
  latency: Partial<Record<ServerLatency, ServerDistribution>>;
  requestsWaiting?: GaugeFigures;
  requestsRunning?: GaugeFigures;
  /** Fraction 0..1. */
  kvCacheUsage?: GaugeFigures;
  preemptions?: number;
  /** Fraction 0..1 of prompt tokens served from the prefix cache. */
  prefixCacheHitRate?: number;
  promptTokens?: number;
  generationTokens?: number;
  /** Unknown servers: each counter's delta and each gauge's figures, by sample name. */
  generic?: { counters: Record<string, number>; gauges: Record<string, GaugeFigures> };
  /** What makes these figures less trustworthy (failed scrapes, token totals that disagree). */
  warnings: string[];
}
