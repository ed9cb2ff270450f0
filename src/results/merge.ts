import { canonicalJson } from '../canonical-json.js';
import { weakestTokenCounting } from '../client/token-count.js';
import { ERROR_CLASSES, type ErrorClass } from '../domain/request.js';
import { shardsApartReason } from '../domain/health.js';
import type { MeasureConfig } from '../domain/config.js';
import { ResultsError } from '../errors.js';
import {
  decodeHistogram,
  encodeHistogram,
  mergeHistograms,
  summarizeHistogram,
  type Histogram,
} from '../metrics/histogram.js';
import { publishedMetrics, trialFiguresOf, type TrialField } from '../metrics/catalogue.js';
import { ratesOf } from '../metrics/recorder.js';
import { warningsFor } from './build.js';
import {
  DISTRIBUTIONS,
  RESULTS_SCHEMA,
  type ClassFigures,
  type DistributionName,
  type Distributions,
  type EncodedHistograms,
  type EndpointFacts,
  type OutputLengthFacts,
  type RecordedConfig,
  type RunResults,
  type RunSummary,
  type SelfCheck,
  type ShardWindows,
  type TrialFigures,
} from '../domain/results.js';
import type { DistributionSummary } from '../domain/results.js';

export type Shard = NonNullable<MeasureConfig['shard']>;

/** One shard's results and the file it came from (named in every error). */
export interface ResultsPart {
  path: string;
  results: RunResults;
}

/** `2/4`: the second of four shards. */
export function describeShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * Config fields that belong to one job rather than to the load plan: shards may differ in them.
 * Every other field is compared, so a field added later is part of the plan until listed here.
 */
const JOB_FIELDS: ReadonlySet<string> = new Set([
  'shard',
  'mode',
  'resultsPath',
  'recordRequests',
  'progressIntervalMs',
  'baselineDir',
  'baselineSource',
  'failOnRegression',
  'failOnMissingBaseline',
  'comment',
  'prNumber',
  'startAtEpochMs',
  'baselineRef',
  'baselineHistory',
  'baselineMaxErrorRate',
  'acceptNoisyBaseline',
]);

const KEY_FIELDS = ['model', 'hardware', 'api', 'mixFingerprint'] as const;

/**
 * Merges the results of every shard of one plan into the results of the whole plan. Histograms
 * add exactly, so the merged percentiles are those of the unsharded request sequence; the window
 * is the union of the shards' windows (they run side by side). Throws ResultsError naming the
 * file and field when the parts are not exactly the shards 1..n of one plan.
 */
export function mergeShardResults(parts: readonly ResultsPart[]): RunResults {
  const ordered = checkShardsOfOnePlan(parts);
  const all = ordered.map((part) => part.results);
  const first = all[0]!;

  const overallHistograms = mergeEncoded(all.map((results) => results.histograms.overall));
  const classNames = [...new Set(all.flatMap((results) => Object.keys(results.perClass)))].sort(
    (a, b) => a.localeCompare(b),
  );
  const perClass: Record<string, ClassFigures> = {};
  const perClassHistograms: Record<string, EncodedHistograms> = {};
  for (const name of classNames) {
    const present = all.filter((results) => results.perClass[name] !== undefined);
    const histograms = mergeEncoded(
      present.flatMap((results) => results.histograms.perClass[name] ?? []),
    );
    perClass[name] = mergeFigures(
      present.map((results) => results.perClass[name]!),
      histograms,
    );
    perClassHistograms[name] = encodeAll(histograms);
  }

  const summary = mergeSummaries(
    all.map((results) => results.summary),
    overallHistograms,
  );
  const planConfig: RecordedConfig = { ...first.config };
  delete planConfig.shard;
  const merged: RunResults = {
    schema: RESULTS_SCHEMA,
    tool: first.tool,
    key: first.key,
    provenance: first.provenance,
    startedAt: earliest(all.map((results) => results.startedAt)),
    finishedAt: latest(all.map((results) => results.finishedAt)),
    partial: all.some((results) => results.partial),
    // Without `shard`: the merged results stand for the whole plan.
    config: planConfig,
    formulas: first.formulas,
    warmup: {
      requests: sum(all, (results) => results.warmup.requests),
      failed: sum(all, (results) => results.warmup.failed),
    },
    summary,
    perClass,
    trials: mergeTrials(all, summary),
    histograms: { overall: encodeAll(overallHistograms), perClass: perClassHistograms },
    selfCheck: mergeSelfChecks(ordered, planConfig),
    endpoint: { ...first.endpoint, ...mergeConnections(all) },
    warnings: [],
    shards: shardWindows(ordered),
  };
  // Shards scrape the one metrics-url (their configs must match) while they run together, so
  // each view is the server's view of the whole plan; adding them would count its work per shard.
  // The widest is the server's (its token cross-check is against all shards, in warningsFor).
  const server = ordered
    .map((part) => part.results.server)
    .filter((view) => view !== undefined)
    .sort((a, b) => (b.generationTokens ?? 0) - (a.generationTokens ?? 0))[0];
  if (server) merged.server = server;
  merged.warnings = warningsFor(merged);
  const apart = shardsApartReason(merged);
  if (apart) merged.warnings.push({ code: 'shards-apart', message: apart });
  return merged;
}

/** Each shard's measured window, and the common window's share of their union. */
function shardWindows(parts: readonly ResultsPart[]): ShardWindows {
  const windows = parts
    .filter((part) => part.results.summary.requests > 0)
    .map((part) => ({
      shard: describeShard(shardOf(part)),
      startEpochMs: part.results.summary.windowStartEpochMs,
      endEpochMs: part.results.summary.windowEndEpochMs,
    }));
  const union =
    maxOrZero(windows.map((window) => window.endEpochMs)) -
    minOrZero(windows.map((window) => window.startEpochMs));
  const common =
    minOrZero(windows.map((window) => window.endEpochMs)) -
    maxOrZero(windows.map((window) => window.startEpochMs));
  return { overlap: union > 0 ? Math.max(0, common) / union : 1, windows };
}

/** The parts ordered by shard index, once they are shown to be every shard of one plan. */
function checkShardsOfOnePlan(parts: readonly ResultsPart[]): ResultsPart[] {
  if (parts.length === 0) throw new ResultsError('no results files to merge');
  for (const part of parts) {
    if (!part.results.config.shard) {
      throw new ResultsError(
        `results ${part.path}: not a shard (its config has no shard); merge takes the files of one sharded run`,
      );
    }
  }
  const ordered = [...parts].sort((a, b) => shardOf(a).index - shardOf(b).index);
  const reference = ordered[0]!;
  for (const part of ordered.slice(1)) {
    const difference = planDifference(part.results, reference.results);
    if (difference) {
      throw new ResultsError(`results ${part.path}: ${difference} in ${reference.path}`);
    }
  }
  const count = shardOf(reference).count;
  const seen = new Map<number, string>();
  for (const part of ordered) {
    const shard = shardOf(part);
    if (!Number.isInteger(shard.index) || shard.index < 1 || shard.index > count) {
      throw new ResultsError(
        `results ${part.path}: shard ${describeShard(shard)} is not one of 1..${count}`,
      );
    }
    const other = seen.get(shard.index);
    if (other !== undefined) {
      throw new ResultsError(
        `results ${part.path}: shard ${describeShard(shard)} is also in ${other}`,
      );
    }
    seen.set(shard.index, part.path);
  }
  for (let index = 1; index <= count; index++) {
    if (!seen.has(index)) {
      const found = ordered.map((part) => describeShard(shardOf(part))).join(', ');
      throw new ResultsError(
        `results: shard ${index}/${count} is missing (found ${found}); merge needs every shard`,
      );
    }
  }
  return ordered;
}

function shardOf(part: ResultsPart): Shard {
  return part.results.config.shard!;
}

/** The first way `results` is not a shard of the same plan as `reference`, as `field a ≠ b`. */
function planDifference(results: RunResults, reference: RunResults): string | undefined {
  const differs = (field: string, value: unknown, expected: unknown) =>
    `${field} ${formatValue(value)} ≠ ${formatValue(expected)}`;
  const shard = results.config.shard!;
  const referenceShard = reference.config.shard!;
  if (shard.count !== referenceShard.count) {
    return differs('shard count', shard.count, referenceShard.count);
  }
  for (const field of KEY_FIELDS) {
    if (results.key[field] !== reference.key[field]) {
      return differs(field, results.key[field], reference.key[field]);
    }
  }
  // Another tool version may measure differently: its figures do not add up with these.
  if (results.tool.version !== reference.tool.version) {
    return differs('tool version', results.tool.version, reference.tool.version);
  }
  const fields = [...new Set([...Object.keys(results.config), ...Object.keys(reference.config)])]
    .filter((field) => !JOB_FIELDS.has(field))
    .sort();
  for (const field of fields) {
    const value = (results.config as Record<string, unknown>)[field];
    const expected = (reference.config as Record<string, unknown>)[field];
    if (canonicalJson(value) !== canonicalJson(expected)) return differs(field, value, expected);
  }
  return undefined;
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'unset';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return canonicalJson(value);
}

type Histograms = Record<DistributionName, Histogram>;

function mergeEncoded(encoded: readonly EncodedHistograms[]): Histograms {
  return Object.fromEntries(
    DISTRIBUTIONS.map((name) => [
      name,
      mergeHistograms(encoded.map((histograms) => decodeHistogram(histograms[name]))),
    ]),
  ) as Histograms;
}

function encodeAll(histograms: Histograms): EncodedHistograms {
  return Object.fromEntries(
    DISTRIBUTIONS.map((name) => [name, encodeHistogram(histograms[name])]),
  ) as EncodedHistograms;
}

/** Counts add; the distributions come from the merged histograms (exact). */
function mergeFigures(figures: readonly ClassFigures[], histograms: Histograms): ClassFigures {
  const requests = sum(figures, (figure) => figure.requests);
  const failed = sum(figures, (figure) => figure.failed);
  // In the canonical class order: the shards' first-seen orders differ.
  const errorsByClass: ClassFigures['errorsByClass'] = {};
  for (const errorClass of ERROR_CLASSES) {
    const count = sum(figures, (figure) => figure.errorsByClass[errorClass] ?? 0);
    if (count > 0) errorsByClass[errorClass] = count;
  }
  return {
    requests,
    succeeded: sum(figures, (figure) => figure.succeeded),
    failed,
    errorRate: requests > 0 ? failed / requests : 0,
    errorsByClass,
    distributions: Object.fromEntries(
      DISTRIBUTIONS.map((name) => [
        name,
        summarizeMerged(
          histograms[name],
          figures.map((figure) => figure.distributions[name]),
        ),
      ]),
    ) as Distributions,
    outputTokens: sum(figures, (figure) => figure.outputTokens),
    inputTokens: sum(figures, (figure) => figure.inputTokens),
    estimatedTokenRequests: sum(figures, (figure) => figure.estimatedTokenRequests),
    ...(figures.some((figure) => figure.tokenCounting !== undefined)
      ? { tokenCounting: weakestTokenCounting(figures.map((figure) => figure.tokenCounting)) }
      : {}),
    goodRequests: sum(figures, (figure) => figure.goodRequests),
  };
}

/**
 * The merged histogram's summary, with the shards' exact min and max: a decoded histogram knows
 * them only to its bucket width. Percentiles stay clamped to the max, as for one run.
 */
function summarizeMerged(
  histogram: Histogram,
  shards: readonly DistributionSummary[],
): DistributionSummary {
  const summary = summarizeHistogram(histogram);
  const recorded = shards.filter((shard) => shard.count > 0);
  if (recorded.length === 0) return summary;
  const maxMs = maxOrZero(recorded.map((shard) => shard.maxMs));
  const clamp = (valueMs: number) => Math.min(valueMs, maxMs);
  return {
    ...summary,
    minMs: minOrZero(recorded.map((shard) => shard.minMs)),
    p50Ms: clamp(summary.p50Ms),
    p90Ms: clamp(summary.p90Ms),
    p95Ms: clamp(summary.p95Ms),
    p99Ms: clamp(summary.p99Ms),
    p999Ms: clamp(summary.p999Ms),
    maxMs,
  };
}

/** The window is the union of the shards' windows; rates are the recorder's, over that window. */
function mergeSummaries(summaries: readonly RunSummary[], histograms: Histograms): RunSummary {
  const figures = mergeFigures(summaries, histograms);
  // A shard that measured nothing has no window (its bounds are 0).
  const measured = summaries.filter((summary) => summary.requests > 0);
  const windowStartEpochMs = minOrZero(measured.map((summary) => summary.windowStartEpochMs));
  const windowEndEpochMs = maxOrZero(measured.map((summary) => summary.windowEndEpochMs));
  const windowMs = windowEndEpochMs - windowStartEpochMs;
  const hasGoodput = summaries.some((summary) => summary.goodputRequestsPerSecond !== undefined);
  return {
    ...figures,
    windowMs,
    windowStartEpochMs,
    windowEndEpochMs,
    ...ratesOf(figures, windowMs, hasGoodput),
    outputLength: mergeOutputLength(summaries),
    ...mergeFirstErrors(summaries),
  };
}

/** Each class's first error from the first shard that saw it. */
function mergeFirstErrors(summaries: readonly RunSummary[]): Pick<RunSummary, 'firstErrors'> {
  const firstErrors: NonNullable<RunSummary['firstErrors']> = {};
  for (const summary of summaries) {
    for (const [errorClass, message] of Object.entries(summary.firstErrors ?? {})) {
      firstErrors[errorClass as ErrorClass] ??= message;
    }
  }
  return Object.keys(firstErrors).length > 0 ? { firstErrors } : {};
}

function mergeOutputLength(summaries: readonly RunSummary[]): OutputLengthFacts {
  // Shards without requests (or without successes) report 0 bounds: leave them out.
  const requested = summaries.filter((summary) => summary.requests > 0);
  const received = summaries.filter((summary) => summary.succeeded > 0);
  return {
    requestedMin: minOrZero(requested.map((summary) => summary.outputLength.requestedMin)),
    requestedMax: maxOrZero(requested.map((summary) => summary.outputLength.requestedMax)),
    receivedMin: minOrZero(received.map((summary) => summary.outputLength.receivedMin)),
    receivedMax: maxOrZero(received.map((summary) => summary.outputLength.receivedMax)),
    shorterThanRequested: sum(summaries, (summary) => summary.outputLength.shorterThanRequested),
    fixedLengthIgnored: summaries.some((summary) => summary.outputLength.fixedLengthIgnored),
  };
}

/** Reconnects add up over shards; reuse stopped if it stopped in any shard. */
function mergeConnections(all: readonly RunResults[]): Pick<EndpointFacts, 'connections'> {
  const facts = all.flatMap((results) => results.endpoint.connections ?? []);
  if (facts.length === 0) return {};
  const reuseStopped = facts.find((fact) => fact.reuseStopped)?.reuseStopped;
  return {
    connections: {
      reconnects: sum(facts, (fact) => fact.reconnects),
      ...(reuseStopped ? { reuseStopped } : {}),
    },
  };
}

/**
 * One trial: the merged summary is that trial, exactly. Several trials carry no histograms, so
 * they combine by trial index approximately: counts and tokens add, the window is the longest
 * shard window of that trial (shards run side by side), rates are recomputed over it, and
 * percentiles are the shards' figures weighted by their successful requests.
 */
function mergeTrials(all: readonly RunResults[], summary: RunSummary): TrialFigures[] {
  const trialCount = maxOrZero(all.map((results) => results.trials.length));
  if (trialCount === 1) return [trialFiguresOf(summary)];
  return Array.from({ length: trialCount }, (_, index) =>
    combineTrial(all.flatMap((results) => results.trials[index] ?? [])),
  );
}

function combineTrial(trials: readonly TrialFigures[]): TrialFigures {
  const requests = sum(trials, (trial) => trial.requests);
  const failed = sum(trials, (trial) => trial.failed);
  const succeeded = requests - failed;
  const windowMs = maxOrZero(trials.map((trial) => trial.windowMs));
  const perSecond = (value: number) => (windowMs > 0 ? value / (windowMs / 1000) : 0);
  const weighted = (field: TrialField) =>
    succeeded > 0
      ? sum(trials, (trial) => (trial[field] ?? 0) * (trial.requests - trial.failed)) / succeeded
      : 0;
  const perMetric: Partial<Record<TrialField, number>> = {};
  for (const info of publishedMetrics()) {
    const field = info.trialField;
    // A figure some shard's file lacks (written before it was recorded) stays absent.
    if (field === undefined || trials.some((trial) => trial[field] === undefined)) continue;
    perMetric[field] =
      info.kind === 'throughput'
        ? perSecond(sum(trials, (trial) => ((trial[field] ?? 0) * trial.windowMs) / 1000))
        : weighted(field);
  }
  return {
    requests,
    failed,
    windowMs,
    errorRate: requests > 0 ? failed / requests : 0,
    ...(perMetric as Record<TrialField, number>),
  };
}

/**
 * The client limited the plan if it limited any shard. Lags and utilization take the worst
 * shard; the achieved open-loop rate is the shards' rates added (they run side by side) against
 * the plan's requested rate.
 */
function mergeSelfChecks(parts: readonly ResultsPart[], config: RecordedConfig): SelfCheck {
  const checks = parts.map((part) => part.results.selfCheck);
  const dispatchLags = checks.flatMap((check) => check.dispatchLagP95Ms ?? []);
  const lagsP95 = checks.flatMap((check) => check.timerLagP95Ms ?? []);
  const cautions = parts.flatMap((part) =>
    (part.results.selfCheck.cautions ?? []).map(
      (caution) => `shard ${describeShard(shardOf(part))}: ${caution}`,
    ),
  );
  return {
    eventLoopUtilization: maxOrZero(checks.map((check) => check.eventLoopUtilization)),
    ...(lagsP95.length > 0 ? { timerLagP95Ms: maxOrZero(lagsP95) } : {}),
    timerLagP99Ms: maxOrZero(checks.map((check) => check.timerLagP99Ms)),
    timerLagMaxMs: maxOrZero(checks.map((check) => check.timerLagMaxMs)),
    ...(config.requestRate !== undefined
      ? {
          requestedRate: config.requestRate,
          achievedRate: sum(checks, (check) => check.achievedRate ?? 0),
          ...(dispatchLags.length > 0 ? { dispatchLagP95Ms: maxOrZero(dispatchLags) } : {}),
        }
      : {}),
    saturated: checks.some((check) => check.saturated),
    reasons: parts.flatMap((part) =>
      part.results.selfCheck.reasons.map(
        (reason) => `shard ${describeShard(shardOf(part))}: ${reason}`,
      ),
    ),
    ...(cautions.length > 0 ? { cautions } : {}),
  };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}

function minOrZero(values: readonly number[]): number {
  return values.length > 0 ? Math.min(...values) : 0;
}

function maxOrZero(values: readonly number[]): number {
  return values.length > 0 ? Math.max(...values) : 0;
}

/** ISO-8601 UTC timestamps of one format order as text. */
function earliest(timestamps: readonly string[]): string {
  return [...timestamps].sort()[0] ?? '';
}

function latest(timestamps: readonly string[]): string {
  return [...timestamps].sort().at(-1) ?? '';
}
