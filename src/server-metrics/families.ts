/**
 * The metric families of the servers we know, in one table: which sample names carry the
 * server's view of each figure we report. The first name a scrape has wins, so renamed metrics
 * (vLLM's older names) are listed after the current ones. Every name was taken from the server's
 * own source or documentation (the `source` of each entry); README "Server metrics" shows this
 * table to users.
 *
 * Latency histograms are in seconds in every server listed. Token totals come from counters, or
 * from the sum of a per-request token histogram where a server has no counter (TGI).
 */
import type { ServerKind, ServerLatency } from '../domain/server-view.js';

export interface ServerFamilies {
  kind: ServerKind;
  label: string;
  /** Where the names come from. */
  source: string;
  /** Histogram family names (seconds), by figure. */
  histograms: Partial<Record<ServerLatency, string[]>>;
  /**
   * Counter pairs whose ratio of deltas is a mean latency where a server has no histogram
   * (llama.cpp): seconds counter / tokens counter.
   */
  meanFromCounters?: Partial<Record<ServerLatency, { seconds: string; per: string }>>;
  waiting?: string[];
  running?: string[];
  /** Gauge, fraction 0..1 of the KV cache in use. */
  kvCacheUsage?: string[];
  /** Counter of preemptions (sequences evicted from the KV cache and recomputed later). */
  preemptions?: string[];
  /** Counter pairs: prefix-cache hits and queries (in tokens). */
  prefixCacheCounters?: Array<{ hits: string; queries: string }>;
  /** Gauge of the hit rate, where a server has no counters. */
  prefixCacheHitRate?: string[];
  promptTokens?: TokenSource[];
  generationTokens?: TokenSource[];
}

export type TokenSource = { counter: string } | { histogramSum: string };

export const SERVER_FAMILIES: readonly ServerFamilies[] = [
  {
    kind: 'vllm',
    label: 'vLLM',
    source:
      'vllm-project/vllm vllm/v1/metrics/loggers.py (PrometheusStatLogger) and docs/design/metrics.md (v0 names)',
    histograms: {
      ttft: ['vllm:time_to_first_token_seconds'],
      queue_time: ['vllm:request_queue_time_seconds'],
      // The per-token gap histogram; named time_per_output_token_seconds before v0.11.
      itl: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'],
      tpot: ['vllm:request_time_per_output_token_seconds'],
      e2e: ['vllm:e2e_request_latency_seconds'],
    },
    waiting: ['vllm:num_requests_waiting'],
    running: ['vllm:num_requests_running'],
    // gpu_cache_usage_perc is the v0 (and early v1) name.
    kvCacheUsage: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
    preemptions: ['vllm:num_preemptions_total'],
    prefixCacheCounters: [
      { hits: 'vllm:prefix_cache_hits_total', queries: 'vllm:prefix_cache_queries_total' },
      { hits: 'vllm:gpu_prefix_cache_hits_total', queries: 'vllm:gpu_prefix_cache_queries_total' },
    ],
    prefixCacheHitRate: ['vllm:gpu_prefix_cache_hit_rate'],
    promptTokens: [{ counter: 'vllm:prompt_tokens_total' }],
    generationTokens: [{ counter: 'vllm:generation_tokens_total' }],
  },
  {
    kind: 'sglang',
    label: 'SGLang',
    source:
      'sgl-project/sglang python/sglang/srt/metrics/collector.py and docs/references/production_metrics.md',
    histograms: {
      ttft: ['sglang:time_to_first_token_seconds'],
      queue_time: ['sglang:queue_time_seconds'],
      itl: ['sglang:inter_token_latency_seconds', 'sglang:time_per_output_token_seconds'],
      e2e: ['sglang:e2e_request_latency_seconds'],
    },
    waiting: ['sglang:num_queue_reqs'],
    running: ['sglang:num_running_reqs'],
    kvCacheUsage: ['sglang:token_usage'],
    prefixCacheHitRate: ['sglang:cache_hit_rate'],
    promptTokens: [{ counter: 'sglang:prompt_tokens_total' }],
    generationTokens: [{ counter: 'sglang:generation_tokens_total' }],
  },
  {
    kind: 'tgi',
    label: 'TGI',
    source:
      'huggingface/text-generation-inference docs/source/reference/metrics.md (router/src metrics)',
    histograms: {
      queue_time: ['tgi_request_queue_duration'],
      // Per request: (inference time − first token) / (generated tokens − 1), i.e. TPOT.
      tpot: ['tgi_request_mean_time_per_token_duration'],
      e2e: ['tgi_request_duration'],
    },
    waiting: ['tgi_queue_size'],
    running: ['tgi_batch_current_size'],
    promptTokens: [{ histogramSum: 'tgi_request_input_length' }],
    generationTokens: [{ histogramSum: 'tgi_request_generated_tokens' }],
  },
  {
    kind: 'llamacpp',
    label: 'llama.cpp server',
    source: 'ggml-org/llama.cpp tools/server/server.cpp (GET /metrics, --metrics) and its README',
    histograms: {},
    meanFromCounters: {
      // Decode time per generated token, summed over slots: a mean TPOT per slot.
      tpot: {
        seconds: 'llamacpp:tokens_predicted_seconds_total',
        per: 'llamacpp:tokens_predicted_total',
      },
    },
    waiting: ['llamacpp:requests_deferred'],
    running: ['llamacpp:requests_processing'],
    kvCacheUsage: ['llamacpp:kv_cache_usage_ratio'],
    promptTokens: [{ counter: 'llamacpp:prompt_tokens_total' }],
    generationTokens: [{ counter: 'llamacpp:tokens_predicted_total' }],
  },
];

/** Every sample name an entry reads, for recognising the server from a scrape. */
function namesOf(entry: ServerFamilies): string[] {
  const histogramNames = Object.values(entry.histograms).flatMap((names) =>
    names.map((name) => `${name}_bucket`),
  );
  const tokenNames = [...(entry.promptTokens ?? []), ...(entry.generationTokens ?? [])].map(
    (source) => ('counter' in source ? source.counter : `${source.histogramSum}_count`),
  );
  return [
    ...histogramNames,
    ...(entry.waiting ?? []),
    ...(entry.running ?? []),
    ...(entry.kvCacheUsage ?? []),
    ...tokenNames,
  ];
}

/** The known server whose names the scrape carries most of; undefined for an unknown server. */
export function recogniseServer(sampleNames: Iterable<string>): ServerFamilies | undefined {
  const present = new Set(sampleNames);
  let best: { entry: ServerFamilies; hits: number } | undefined;
  for (const entry of SERVER_FAMILIES) {
    const hits = namesOf(entry).filter((name) => present.has(name)).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { entry, hits };
  }
  return best?.entry;
}
