/**
 * The shape of a results file (docs/results-schema.md) as a zod schema, checked by the compiler
 * against the types in src/domain/results.ts: a field added there and not here fails the build. Files are
 * read from disk, git, the Actions cache and shard artifacts, any of which may be damaged or
 * edited by hand; a wrong field must be a clear error naming it, never a crash or a gate that
 * compares NaN.
 */
import { z } from 'zod';
import { ERROR_CLASSES } from '../domain/request.js';
import { defaultMeasureConfig } from '../config/parse.js';
import { CAUSES, CHECK_STATUSES, VERDICTS } from '../domain/judgement.js';
import { TOKEN_COUNTING } from '../domain/request.js';
import { SERVER_KINDS, SERVER_LATENCIES } from '../domain/server-view.js';
import { SERVER_VIEW_SCHEMA } from '../domain/server-view.js';
import {
  DISTRIBUTIONS,
  CONFIG_SCHEMA,
  RESULTS_SCHEMA,
  WARNING_CODES,
  type RecordedConfig,
  type RunResults,
} from '../domain/results.js';

/** Milliseconds, counts, rates: finite and never negative (zod refuses NaN and Infinity). */
const amount = z.number().nonnegative();
const count = z.number().int().nonnegative();
const fraction = z.number().min(0).max(1);

const byDistribution = <T extends z.ZodType>(value: T) =>
  z.object(
    Object.fromEntries(DISTRIBUTIONS.map((name) => [name, value])) as Record<
      (typeof DISTRIBUTIONS)[number],
      T
    >,
  );

const distributionSummary = z.object({
  count,
  minMs: amount,
  meanMs: amount,
  p50Ms: amount,
  p90Ms: amount,
  p95Ms: amount,
  p99Ms: amount,
  p999Ms: amount,
  maxMs: amount,
  stdDevMs: amount,
});

const classFigures = z.object({
  requests: count,
  succeeded: count,
  failed: count,
  errorRate: fraction,
  errorsByClass: z.partialRecord(z.enum(ERROR_CLASSES), count),
  distributions: byDistribution(distributionSummary),
  outputTokens: amount,
  inputTokens: amount,
  estimatedTokenRequests: count,
  tokenCounting: z.enum(TOKEN_COUNTING).optional(),
  goodRequests: count,
});

const summary = classFigures.extend({
  windowMs: amount,
  windowStartEpochMs: amount,
  windowEndEpochMs: amount,
  outputTokensPerSecond: amount,
  inputTokensPerSecond: amount,
  requestsPerSecond: amount,
  goodputRequestsPerSecond: amount.optional(),
  outputLength: z.object({
    requestedMin: amount,
    requestedMax: amount,
    receivedMin: amount,
    receivedMax: amount,
    shorterThanRequested: count,
    fixedLengthIgnored: z.boolean(),
  }),
  firstErrors: z.partialRecord(z.enum(ERROR_CLASSES), z.string()).optional(),
});

const trialFigures = z.object({
  requests: count,
  failed: count,
  windowMs: amount,
  outputTokensPerSecond: amount,
  requestsPerSecond: amount,
  ttftP50Ms: amount,
  ttftP95Ms: amount,
  ttftP99Ms: amount,
  ttftFromScheduleP95Ms: amount.optional(),
  itlP95Ms: amount,
  tpotP95Ms: amount,
  e2eP95Ms: amount,
  errorRate: fraction,
});

const encodedHistograms = byDistribution(z.string().min(1));

const selfCheck = z.object({
  eventLoopUtilization: fraction,
  timerLagP95Ms: amount.optional(),
  timerLagP99Ms: amount,
  timerLagMaxMs: amount,
  requestedRate: amount.optional(),
  achievedRate: amount.optional(),
  dispatchLagP95Ms: amount.optional(),
  saturated: z.boolean(),
  reasons: z.array(z.string()),
  cautions: z.array(z.string()).optional(),
});

const key = z.object({
  model: z.string(),
  hardware: z.string(),
  api: z.enum(['chat', 'completions']),
  mixName: z.string(),
  mixFingerprint: z.string(),
});

const positive = z.number().positive();

/** The recorded config's settings, as this version writes them. */
const configFields = {
  mode: z.enum(['gate', 'update-baseline', 'report']),
  endpoint: z.string(),
  model: z.string(),
  api: z.enum(['chat', 'completions']),
  reference: z.object({ endpoint: z.string(), model: z.string() }).optional(),
  hardware: z.string(),
  promptMix: z.string(),
  concurrency: positive,
  requestRate: positive.optional(),
  arrival: z.enum(['poisson', 'constant', 'gamma']),
  burstiness: positive,
  requests: count,
  stopWhenDecided: z.boolean(),
  durationMs: amount.optional(),
  warmupRequests: count,
  timeoutMs: positive,
  waitForEndpointMs: amount.optional(),
  seed: z.number(),
  extraBody: z.record(z.string(), z.unknown()),
  headers: z.array(z.string()),
  cacheBust: z.boolean(),
  trials: positive,
  slo: z.object({ ttftMs: amount.optional(), tpotMs: amount.optional(), e2eMs: amount.optional() }),
  startAtEpochMs: amount.optional(),
  recordRequests: z.string().optional(),
  tokenizer: z.string().optional(),
  progressIntervalMs: amount,
  shard: z.object({ index: positive, count: positive }).optional(),
  sweep: z
    .object({ dimension: z.enum(['concurrency', 'request-rate']), levels: z.array(positive) })
    .optional(),
  metricsUrl: z.string().optional(),
  metricsIntervalMs: amount,
  baselineDir: z.string(),
  baselineSource: z.enum(['files', 'cache']),
  thresholds: z.string(),
  failOnRegression: z.boolean(),
  failOnMissingBaseline: z.boolean(),
  onLowSensitivity: z.enum(['inconclusive', 'pass']),
  driftFloor: fraction,
  sloAttainment: fraction,
  comment: z.enum(['always', 'on-regression', 'never']),
  prNumber: positive.optional(),
  resultsPath: z.string(),
  baselineMaxErrorRate: fraction,
  acceptNoisyBaseline: z.boolean(),
  baselineHistory: count,
  baselineRef: z.string().optional(),
  resultsGlob: z.string(),
};

/** Settings added after the first results files: those lack them. */
const LATER_SETTINGS = {
  stopWhenDecided: true,
  progressIntervalMs: true,
  metricsIntervalMs: true,
  baselineDir: true,
  baselineSource: true,
  thresholds: true,
  failOnRegression: true,
  failOnMissingBaseline: true,
  onLowSensitivity: true,
  driftFloor: true,
  sloAttainment: true,
  comment: true,
  resultsPath: true,
  baselineMaxErrorRate: true,
  acceptNoisyBaseline: true,
  baselineHistory: true,
  resultsGlob: true,
} as const;

/**
 * What a run recorded before a setting existed did: the setting's default, except that it
 * measured its whole budget (stop-when-decided came later).
 */
const BEFORE_RECORDED = { ...defaultMeasureConfig(), headers: [], stopWhenDecided: false };

/**
 * The recorded config, versioned (CONFIG_SCHEMA). A file of this version must hold every
 * setting; an unversioned one (written before) is read with the settings it lacks filled in.
 */
const config = z
  .object({ schema: z.literal(CONFIG_SCHEMA), ...configFields })
  .partial({ schema: true, ...LATER_SETTINGS })
  .superRefine((value, context) => {
    if (value.schema === undefined) return;
    for (const key of Object.keys(LATER_SETTINGS)) {
      if (value[key as keyof typeof value] === undefined) {
        context.addIssue({ code: 'custom', path: [key], message: `required in ${CONFIG_SCHEMA}` });
      }
    }
  })
  .transform((value) => ({
    ...BEFORE_RECORDED,
    ...value,
    schema: CONFIG_SCHEMA,
  })) satisfies z.ZodType<RecordedConfig>;

const gauge = z.object({ mean: z.number(), min: z.number(), max: z.number(), samples: count });

const serverView = z.object({
  schema: z.literal(SERVER_VIEW_SCHEMA),
  server: z.enum([...SERVER_KINDS, 'unknown']),
  serverLabel: z.string(),
  url: z.string(),
  scrapes: count,
  failedScrapes: count,
  latency: z.partialRecord(
    z.enum(SERVER_LATENCIES),
    z.object({
      count: amount,
      meanMs: amount,
      p50Ms: amount.optional(),
      p90Ms: amount.optional(),
      p95Ms: amount.optional(),
      p99Ms: amount.optional(),
      p95BucketMs: z.tuple([z.number(), z.number()]).optional(),
      firstBucketMs: amount.optional(),
    }),
  ),
  requestsWaiting: gauge.optional(),
  requestsRunning: gauge.optional(),
  kvCacheUsage: gauge.optional(),
  preemptions: amount.optional(),
  prefixCacheHitRate: fraction.optional(),
  promptTokens: amount.optional(),
  generationTokens: amount.optional(),
  generic: z
    .object({ counters: z.record(z.string(), z.number()), gauges: z.record(z.string(), gauge) })
    .optional(),
  warnings: z.array(z.string()),
});

const measuredRunSchema = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  tool: z.object({ name: z.literal('llm-perf-gate'), version: z.string() }),
  key,
  provenance: z.object({
    commit: z.string().optional(),
    ref: z.string().optional(),
    date: z.string(),
    toolVersion: z.string(),
    runnerOs: z.string(),
    runUrl: z.string().optional(),
  }),
  startedAt: z.string(),
  finishedAt: z.string(),
  partial: z.boolean(),
  config,
  formulas: z.record(z.string(), z.string()),
  warmup: z.object({ requests: count, failed: count }),
  summary,
  perClass: z.record(z.string(), classFigures),
  trials: z.array(trialFigures),
  histograms: z.object({
    overall: encodedHistograms,
    perClass: z.record(z.string(), encodedHistograms),
  }),
  selfCheck,
  endpoint: z.object({
    server: z.string().optional(),
    systemFingerprint: z.string().optional(),
    models: z.array(z.string()).optional(),
    connections: z.object({ reconnects: count, reuseStopped: z.string().optional() }).optional(),
  }),
  warnings: z.array(z.object({ code: z.enum(WARNING_CODES), message: z.string() })),
  sweep: z
    .object({
      dimension: z.enum(['concurrency', 'request-rate']),
      levels: z.array(
        z.object({
          level: positive,
          summary,
          histograms: encodedHistograms,
          trial: trialFigures,
          selfCheck,
          server: serverView.optional(),
        }),
      ),
      knee: z.object({ level: positive, reason: z.string() }).optional(),
      noKnee: z.string().optional(),
    })
    .optional(),
  health: z
    .object({
      status: z.enum(['healthy', 'unhealthy', 'cancelled']),
      reason: z.string().optional(),
      hint: z.string().optional(),
    })
    .optional(),
  history: z
    .array(
      z.object({
        date: z.string(),
        commit: z.string().optional(),
        trials: positive,
        figures: trialFigures,
      }),
    )
    .optional(),
  shards: z
    .object({
      overlap: fraction,
      windows: z.array(z.object({ shard: z.string(), startEpochMs: amount, endEpochMs: amount })),
    })
    .optional(),
  server: serverView.optional(),
  sequential: z.object({ looks: z.array(positive), stoppedAtLook: positive.optional() }).optional(),
});

const judgement = z.object({
  verdict: z.enum(VERDICTS),
  checks: z.array(
    z.object({
      metric: z.string(),
      label: z.string(),
      status: z.enum(CHECK_STATUSES),
      baseline: z.number().optional(),
      current: z.number(),
      relativeDelta: z.number().optional(),
      threshold: z.string().optional(),
    }),
  ),
  diagnoses: z.array(
    z.object({
      cause: z.enum(CAUSES),
      moved: z.array(z.string()),
      ungated: z.boolean(),
      evidence: z.array(z.string()),
      serverView: z.boolean(),
      sentence: z.string(),
      level: z.string().optional(),
    }),
  ),
});

export const runResultsSchema = measuredRunSchema.extend({
  paired: z
    .object({
      reference: measuredRunSchema,
      pairs: count,
      logVariancePerPair: z.record(z.string(), amount),
    })
    .optional(),
  judgement: judgement.optional(),
}) satisfies z.ZodType<RunResults>;
