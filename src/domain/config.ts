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

/** The modes that measure the endpoint; `merge` measures nothing (its shards did). */
export type MeasureMode = Exclude<Mode, 'merge'>;

/** What every mode reads: how to judge, where baselines live, what to write and comment. */
export interface CommonConfig {
  baselineDir: string;
  baselineSource: BaselineSource;
  thresholds: string;
  failOnRegression: boolean;
  failOnMissingBaseline: boolean;
  /** The verdict of a run that could not see a gated metric at its threshold. */
  onLowSensitivity: 'inconclusive' | 'pass';
  /** Run-to-run σ (log scale) always allowed for against a stored baseline. */
  driftFloor: number;
  /** With SLOs: the share of requests that must meet them all (a default limit). */
  sloAttainment: number;
  comment: CommentPolicy;
  githubToken?: string;
  /** The PR to comment on when the event names none (a fork's workflow_run). */
  prNumber?: number;
  resultsPath: string;
  /** Refuse a baseline (or cache trial) whose error rate is above this fraction. */
  baselineMaxErrorRate: number;
  /** Write a baseline even when it cannot detect twice a threshold. */
  acceptNoisyBaseline: boolean;
  /** Accepted runs kept per key. */
  baselineHistory: number;
  /** Files mode: read baselines from this git ref instead of the working tree. */
  baselineRef?: string;
  /**
   * mode merge: glob of shard results files. Measuring modes only record it, as results files
   * always have.
   */
  resultsGlob: string;
}

/** reference-endpoint, reference-api-key and reference-model. */
export interface ReferenceEndpoint {
  endpoint: string;
  /** Never written anywhere, like apiKey. */
  apiKey?: string;
  /** '' until checked: then reference-model, or the candidate's model. */
  model: string;
}

/** A run that measures the endpoint (modes gate, update-baseline and report). */
export interface MeasureConfig extends CommonConfig {
  mode: MeasureMode;
  endpoint: string;
  /** Never written anywhere: masked in the action, left out of results. */
  apiKey?: string;
  /** '' when not set: the endpoint's only model is then used (src/client/readiness.ts). */
  model: string;
  api: ApiKind;
  /** Paired A/B: the reference deployment measured alongside (src/load/pairing.ts). */
  reference?: ReferenceEndpoint;
  hardware: string;
  promptMix: string;
  concurrency: number;
  /** Requests/s: set → open loop. */
  requestRate?: number;
  arrival: ArrivalKind;
  /** Gamma shape for bursty arrivals (< 1 burstier than Poisson). */
  burstiness: number;
  requests: number;
  /** Gate runs with a baseline: stop once every gated metric is decided (src/gate/sequential.ts). */
  stopWhenDecided: boolean;
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
  trials: number;
  slo: Slo;
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
  /** The server's Prometheus metrics, without credentials (README "Server metrics"). */
  metricsUrl?: string;
  /** `Basic …` from credentials in metrics-url: never written anywhere. */
  metricsAuthorization?: string;
  metricsIntervalMs: number;
}

/**
 * mode merge: the shards' results files are the measurement, so there is no endpoint, key or load
 * plan here; those are the shards' (results.config).
 */
export interface MergeConfig extends CommonConfig {
  mode: 'merge';
}

/** One typed, validated run configuration, built from action inputs, CLI flags or defaults. */
export type RunConfig = MeasureConfig | MergeConfig;
