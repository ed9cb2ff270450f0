export type ApiKind = 'chat' | 'completions';
export type Mode = 'gate' | 'update-baseline' | 'report' | 'merge';
export type ArrivalKind = 'poisson' | 'constant' | 'gamma';
export type CommentPolicy = 'always' | 'on-regression' | 'never';
export type BaselineSource = 'files' | 'cache';

export interface Slo {
  ttftMs?: number;
  tpotMs?: number;
  e2eMs?: number;
}

/** One typed, validated run configuration, built from action inputs, CLI flags or defaults. */
export interface RunConfig {
  endpoint: string;
  /** Never written anywhere: masked in the action, left out of results. */
  apiKey?: string;
  /** '' when not set: the endpoint's only model is then used (src/client/readiness.ts). */
  model: string;
  api: ApiKind;
  hardware: string;
  promptMix: string;
  concurrency: number;
  /** Requests/s: set → open loop. */
  requestRate?: number;
  arrival: ArrivalKind;
  /** Gamma shape for bursty arrivals (< 1 burstier than Poisson). */
  burstiness: number;
  requests: number;
  durationMs?: number;
  warmupRequests: number;
  timeoutMs: number;
  /** Poll the endpoint until it is healthy, at most this long, before warm-up. */
  waitForEndpointMs?: number;
  seed: number;
  extraBody: Record<string, unknown>;
  headers: Record<string, string>;
  /** Unique nonce per request so prefix caches cannot serve repeats. */
  cacheBust: boolean;
  mode: Mode;
  baselineDir: string;
  baselineSource: BaselineSource;
  thresholds: string;
  failOnRegression: boolean;
  failOnMissingBaseline: boolean;
  /** The verdict of a run that could not see a gated metric at its threshold. */
  onLowSensitivity: 'inconclusive' | 'pass';
  comment: CommentPolicy;
  githubToken?: string;
  /** The PR to comment on when the event names none (a fork's workflow_run). */
  prNumber?: number;
  resultsPath: string;
  trials: number;
  slo: Slo;
  /** Refuse a baseline (or cache trial) whose error rate is above this fraction. */
  baselineMaxErrorRate: number;
  /** Write a baseline even when it cannot detect twice a threshold. */
  acceptNoisyBaseline: boolean;
  /** Accepted runs kept per key. */
  baselineHistory: number;
  /** Files mode: read baselines from this git ref instead of the working tree. */
  baselineRef?: string;
  /** Epoch ms to wait for before warm-up (shards start together). */
  startAtEpochMs?: number;
  /** Write one JSON line per request here (streamed to disk). */
  recordRequests?: string;
  /** A Hugging Face tokenizer.json that counts output tokens when the server sends no usage. */
  tokenizer?: string;
  /** Progress line interval in the log. */
  progressIntervalMs: number;
  /** Run one slice of the plan (1-based index of count); figures stay those of the whole plan. */
  shard?: { index: number; count: number };
  /** `concurrency: 1,4,16` or `request-rate: 2,4,8`: one measured phase per level. */
  sweep?: { dimension: 'concurrency' | 'request-rate'; levels: number[] };
  /** mode merge: glob of shard results files. */
  resultsGlob: string;
  /** The server's Prometheus metrics, without credentials (README "Server metrics"). */
  metricsUrl?: string;
  /** `Basic …` from credentials in metrics-url: never written anywhere. */
  metricsAuthorization?: string;
  metricsIntervalMs: number;
}
