import type { EngineObserver } from './engine.js';

/**
 * The simulator's GET /metrics: the engine's own figures in vLLM v1's names, types and bucket
 * bounds (vllm/v1/metrics/loggers.py), so that metrics-url, the Server view and the diagnosis
 * can be tested without a GPU. Histograms are observed by the engine as it goes; gauges are read
 * when scraped.
 */
export const METRICS_PATH = '/metrics';

/** vLLM's bounds (seconds): TTFT, per-token latencies, and whole-request latencies. */
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
  160, 640, 2560,
];
const TOKEN_LATENCY_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
];
const REQUEST_LATENCY_BUCKETS = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
];

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {
    this.counts = bounds.map(() => 0);
  }

  observe(seconds: number): void {
    this.sum += seconds;
    this.count += 1;
    const index = this.bounds.findIndex((bound) => seconds <= bound);
    if (index >= 0) this.counts[index]! += 1;
  }

  render(labels: string): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    let cumulative = 0;
    for (const [index, bound] of this.bounds.entries()) {
      cumulative += this.counts[index]!;
      lines.push(`${this.name}_bucket{${labels},le="${bound}"} ${cumulative}`);
    }
    lines.push(`${this.name}_bucket{${labels},le="+Inf"} ${this.count}`);
    lines.push(
      `${this.name}_count{${labels}} ${this.count}`,
      `${this.name}_sum{${labels}} ${this.sum}`,
    );
    return lines;
  }
}

export interface EngineGauges {
  waiting: number;
  running: number;
  /** Fraction 0..1. */
  kvCacheUsage: number;
}

export class EngineMetrics implements EngineObserver {
  readonly ttft = new Histogram(
    'vllm:time_to_first_token_seconds',
    'Histogram of time to first token in seconds.',
    TTFT_BUCKETS,
  );
  readonly queueTime = new Histogram(
    'vllm:request_queue_time_seconds',
    'Histogram of time spent in WAITING phase for request.',
    REQUEST_LATENCY_BUCKETS,
  );
  readonly interTokenLatency = new Histogram(
    'vllm:inter_token_latency_seconds',
    'Histogram of inter-token latency in seconds.',
    TOKEN_LATENCY_BUCKETS,
  );
  readonly timePerOutputToken = new Histogram(
    'vllm:request_time_per_output_token_seconds',
    'Histogram of time_per_output_token_seconds per request.',
    TOKEN_LATENCY_BUCKETS,
  );
  readonly e2e = new Histogram(
    'vllm:e2e_request_latency_seconds',
    'Histogram of e2e request latency in seconds.',
    REQUEST_LATENCY_BUCKETS,
  );
  promptTokens = 0;
  generationTokens = 0;
  preemptions = 0;
  succeeded = 0;

  constructor(private readonly model: string) {}

  admitted(queueMs: number): void {
    this.queueTime.observe(queueMs / 1000);
  }

  prefilled(promptTokens: number): void {
    this.promptTokens += promptTokens;
  }

  token(first: boolean, ms: number): void {
    this.generationTokens += 1;
    (first ? this.ttft : this.interTokenLatency).observe(ms / 1000);
  }

  finished(e2eMs: number, ttftMs: number, outputTokens: number): void {
    this.e2e.observe(e2eMs / 1000);
    if (outputTokens > 1) {
      this.timePerOutputToken.observe((e2eMs - ttftMs) / 1000 / (outputTokens - 1));
    }
    this.succeeded += 1;
  }

  preempted(): void {
    this.preemptions += 1;
  }

  /** The Prometheus text exposition (format 0.0.4), as prometheus_client writes it for vLLM. */
  render(gauges: EngineGauges): string {
    const labels = `engine="0",model_name="${escapeLabel(this.model)}"`;
    const scalar = (name: string, type: 'gauge' | 'counter', help: string, value: number) => {
      const family = type === 'counter' ? name.replace(/_total$/, '') : name;
      return [
        `# HELP ${family} ${help}`,
        `# TYPE ${family} ${type}`,
        `${name}{${labels}} ${value}`,
      ];
    };
    return [
      ...scalar(
        'vllm:num_requests_running',
        'gauge',
        'Number of requests in model execution batches.',
        gauges.running,
      ),
      ...scalar(
        'vllm:num_requests_waiting',
        'gauge',
        'Number of requests waiting to be processed.',
        gauges.waiting,
      ),
      ...scalar(
        'vllm:kv_cache_usage_perc',
        'gauge',
        'KV-cache usage. 1 means 100 percent usage.',
        gauges.kvCacheUsage,
      ),
      ...scalar(
        'vllm:num_preemptions_total',
        'counter',
        'Cumulative number of preemption from the engine.',
        this.preemptions,
      ),
      ...scalar(
        'vllm:prompt_tokens_total',
        'counter',
        'Number of prefill tokens processed.',
        this.promptTokens,
      ),
      ...scalar(
        'vllm:generation_tokens_total',
        'counter',
        'Number of generation tokens processed.',
        this.generationTokens,
      ),
      ...scalar(
        'vllm:request_success_total',
        'counter',
        'Count of successfully processed requests.',
        this.succeeded,
      ),
      ...this.ttft.render(labels),
      ...this.queueTime.render(labels),
      ...this.interTokenLatency.render(labels),
      ...this.timePerOutputToken.render(labels),
      ...this.e2e.render(labels),
      '',
    ].join('\n');
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
