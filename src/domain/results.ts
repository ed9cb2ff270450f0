import type { ApiKind, MeasureConfig, ReferenceEndpoint } from './config.js';
import type { JudgementRecord } from './judgement.js';
import type { ConnectionFacts, ErrorClass, TokenCounting } from './request.js';
import type { ServerView } from './server-view.js';

export interface DistributionSummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  stdDevMs: number;
}

export const RESULTS_SCHEMA = 'llm-perf-gate/results@1';
export const BASELINE_SCHEMA = 'llm-perf-gate/baseline@1';

/** Distributions we keep as HDR histograms, overall and per class. */
export const DISTRIBUTIONS = [
  'ttfb',
  'ttft',
  'ttfo',
  'itl',
  'tpot',
  'e2e',
  'scheduleDelay',
  'ttftFromSchedule',
] as const;
export type DistributionName = (typeof DISTRIBUTIONS)[number];

export type Distributions = Record<DistributionName, DistributionSummary>;
/** Encoded (compressed base64) HDR histograms, values in microseconds. */
export type EncodedHistograms = Record<DistributionName, string>;

export interface ClassFigures {
  requests: number;
  succeeded: number;
  failed: number;
  /** failed / requests (0..1). */
  errorRate: number;
  errorsByClass: Partial<Record<ErrorClass, number>>;
  distributions: Distributions;
  outputTokens: number;
  inputTokens: number;
  /** Requests whose output tokens are an estimate (no `usage`, no tokenizer: from characters). */
  estimatedTokenRequests: number;
  /**
   * How output tokens were counted: the least exact method any successful request needed
   * (`usage` from the server, a `tokenizer` on the text, or `characters` ≈ 4 per token).
   * Absent in files from before it was recorded; there, estimated tokens were counted per event.
   */
  tokenCounting?: TokenCounting;
  /** Successful requests that met every SLO (when SLOs are set). */
  goodRequests: number;
}

export interface OutputLengthFacts {
  /** Smallest and largest max_tokens asked for. */
  requestedMin: number;
  requestedMax: number;
  receivedMin: number;
  receivedMax: number;
  /** Successful requests whose output was shorter than their max_tokens. */
  shorterThanRequested: number;
  /** True when a fixed length was asked for (ignore_eos/min_tokens) but lengths still varied. */
  fixedLengthIgnored: boolean;
}

export interface RunSummary extends ClassFigures {
  /** From the first measured request's start to the last one's end (summed over trials). */
  windowMs: number;
  /** Wall-clock bounds of the measured phase (epoch ms): shards merge their windows by union. */
  windowStartEpochMs: number;
  windowEndEpochMs: number;
  outputTokensPerSecond: number;
  inputTokensPerSecond: number;
  requestsPerSecond: number;
  /** Requests/s that met the SLOs; absent when no SLO is set. */
  goodputRequestsPerSecond?: number;
  outputLength: OutputLengthFacts;
  /** The first error message of each class, redacted: what the endpoint actually said. */
  firstErrors?: Partial<Record<ErrorClass, string>>;
}

/** Whole-run figures of one trial: the gate estimates run-to-run spread from these. */
export interface TrialFigures {
  requests: number;
  failed: number;
  windowMs: number;
  outputTokensPerSecond: number;
  requestsPerSecond: number;
  ttftP50Ms: number;
  ttftP95Ms: number;
  ttftP99Ms: number;
  /** Open loop's gated TTFT; absent in files written before it was recorded. */
  ttftFromScheduleP95Ms?: number;
  itlP95Ms: number;
  tpotP95Ms: number;
  e2eP95Ms: number;
  errorRate: number;
}

export interface SelfCheck {
  /** Event-loop utilization during the measured phase (0..1). */
  eventLoopUtilization: number;
  /** How late a 10 ms timer fired, p95: the TTFT the client itself may add (absent in older files). */
  timerLagP95Ms?: number;
  timerLagP99Ms: number;
  timerLagMaxMs: number;
  /** Open loop only. */
  requestedRate?: number;
  achievedRate?: number;
  /** Open loop: p95 of how late requests left while a slot was free (the client's own lag). */
  dispatchLagP95Ms?: number;
  /** True when the load generator, not the endpoint, limited the run. */
  saturated: boolean;
  reasons: string[];
  /** Limits passed that leave the run trusted but worth a warning (the client's TTFT budget). */
  cautions?: string[];
}

export interface EndpointFacts {
  server?: string;
  systemFingerprint?: string;
  /** Model ids from GET /models, when the endpoint answers it. */
  models?: string[];
  /** Stale keep-alive connections retried on fresh ones (warm-up included), and whether reuse stopped. */
  connections?: ConnectionFacts;
}

/** What a warning is about; the report decides how each code is shown. */
export const WARNING_CODES = [
  'few-samples',
  'saturated-client',
  /** The client's own event loop may have added more than its budget to TTFT. */
  'client-added-ttft',
  'estimated-tokens',
  'connection-reuse',
  'errors',
  'fixed-length-ignored',
  'endpoint-changed',
  'output-length-changed',
  'schedule-delay',
  'partial',
  'baseline',
  /** The baseline file used differs from the base branch's copy (a PR edited its own bar). */
  'baseline-edited',
  /** mode merge: the shards' measured windows did not overlap enough to be one run. */
  'shards-apart',
  'comment',
  'server-metrics',
] as const;

export interface Warning {
  code: (typeof WARNING_CODES)[number];
  message: string;
}

export interface BenchmarkKey {
  model: string;
  hardware: string;
  api: ApiKind;
  mixName: string;
  mixFingerprint: string;
}

/**
 * The recorded config's version. Files from before it was versioned lack it and some settings
 * added since; reading one fills those with what such a run did (src/results/schema.ts).
 */
export const CONFIG_SCHEMA = 'llm-perf-gate/config@2';

/** Config as recorded: no secrets, header values redacted. */
export type RecordedConfig = Omit<
  MeasureConfig,
  'apiKey' | 'githubToken' | 'headers' | 'metricsAuthorization' | 'reference'
> & {
  schema: typeof CONFIG_SCHEMA;
  headers: string[];
  reference?: Omit<ReferenceEndpoint, 'apiKey'>;
};

export interface Provenance {
  commit?: string;
  ref?: string;
  date: string;
  toolVersion: string;
  runnerOs: string;
  runUrl?: string;
}

/**
 * One accepted run of a baseline's key, kept in the baseline so that drift is estimated from runs
 * on different days, not only from trials back to back.
 */
export interface HistoryRun {
  /** When the run was measured (its provenance date). */
  date: string;
  commit?: string;
  /** Trials pooled into `figures`. */
  trials: number;
  /** Whole-run figures (all trials pooled). */
  figures: TrialFigures;
}

/** One level of a sweep: the figures of its measured phase. */
export interface SweepLevel {
  /** Concurrency or requests/s. */
  level: number;
  summary: RunSummary;
  histograms: EncodedHistograms;
  trial: TrialFigures;
  selfCheck: SelfCheck;
  /** The server's own view of this level's phase; absent without metrics-url. */
  server?: ServerView;
}

export interface SweepResults {
  dimension: 'concurrency' | 'request-rate';
  levels: SweepLevel[];
  /** The highest level still worth its load (src/load/knee.ts), with the rule's evidence. */
  knee?: { level: number; reason: string };
  /** Why there is no knee: none was worth its load, or throughput still grew at the top level. */
  noKnee?: string;
}

/** mode merge: each shard's measured window and their common part. */
export interface ShardWindows {
  /** Common window (latest start → earliest end) / union window (earliest start → latest end). */
  overlap: number;
  windows: Array<{ shard: string; startEpochMs: number; endEpochMs: number }>;
}

/**
 * Whether a run can be judged at all. A run that is not healthy is never `pass`, never a
 * baseline and never a baseline trial; src/domain/health.ts is the one place that reads it.
 */
export interface RunHealth {
  status: 'healthy' | 'unhealthy' | 'cancelled';
  /** One line: what went wrong, e.g. "every warm-up request failed (http_401 ×10: …)". */
  reason?: string;
  /** One line: what to do about it. */
  hint?: string;
}

export interface RunResults {
  schema: typeof RESULTS_SCHEMA;
  tool: { name: 'llm-perf-gate'; version: string };
  key: BenchmarkKey;
  provenance: Provenance;
  startedAt: string;
  finishedAt: string;
  /** True when the run stopped early (interrupted, endpoint gone): figures cover what finished. */
  partial: boolean;
  config: RecordedConfig;
  /** Names of the formulas behind each figure (README "Metric definitions"). */
  formulas: Record<string, string>;
  warmup: { requests: number; failed: number };
  summary: RunSummary;
  perClass: Record<string, ClassFigures>;
  trials: TrialFigures[];
  histograms: { overall: EncodedHistograms; perClass: Record<string, EncodedHistograms> };
  selfCheck: SelfCheck;
  endpoint: EndpointFacts;
  warnings: Warning[];
  /** A sweep: the top-level figures are those of the highest level. */
  sweep?: SweepResults;
  /** Absent in files written before run health existed: read as healthy. */
  health?: RunHealth;
  /** Baselines only: the key's last accepted runs, oldest first, this one last. */
  history?: HistoryRun[];
  /** mode merge: how far the shards' measured windows overlapped. */
  shards?: ShardWindows;
  /** The server's own view from metrics-url (schema llm-perf-gate/server@1); absent without it. */
  server?: ServerView;
  /** Gate runs that measured until decided: where the looks were and which one stopped it. */
  sequential?: SequentialRecord;
  /** Paired A/B (reference-endpoint): the reference measured alongside, and the paired noise. */
  paired?: PairedRecord;
  /**
   * What the judge concluded (verdict, checks, diagnosis), added once the run is judged: a
   * record for readers of the file; judging a file never reads it.
   */
  judgement?: JudgementRecord;
}

/**
 * A gate run against a live reference (src/gate/paired.ts): every request went to both endpoints
 * at the same time, so the reference's figures are this run's baseline, and the noise of each
 * comparison is measured on the pairs, where what both endpoints shared cancels.
 */
export interface PairedRecord {
  /** The reference's own results, measured in the same window with the same requests. */
  reference: RunResults;
  /** Requests measured on both sides, in pairs. */
  pairs: number;
  /**
   * Per metric (canonical name): the variance, per pair, of one pair's influence on
   * ln(candidate / reference); the comparison's variance is this over the pairs.
   */
  logVariancePerPair: Record<string, number>;
}

/**
 * Measure until decided (src/gate/sequential.ts): the gate looked after each count of measured
 * requests in `looks` (the last is the budget, `requests`) and stopped at look `stoppedAtLook`
 * (1-based) once every gated metric was decided; absent when the run used the whole budget.
 */
export interface SequentialRecord {
  looks: number[];
  stoppedAtLook?: number;
}

/** A baseline file: the results it was made from, with the key and provenance up front. */
export interface BaselineRecord {
  schema: typeof BASELINE_SCHEMA;
  key: BenchmarkKey;
  savedAt: string;
  results: RunResults;
}
