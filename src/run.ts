import { resolve } from 'node:path';
import {
  admissionRulesOf,
  admitBaseline,
  admitCacheRun,
  type Admission,
  type AdmissionRules,
} from './baseline/admission.js';
import { baselineEditWarnings } from './baseline/edited.js';
import { measuredThingWarnings } from './baseline/facts.js';
import { describeKey } from './domain/key.js';
import type { CacheClient } from './baseline/cache-store.js';
import { nextHistory } from './baseline/history.js';
import { createBaselineStore, onDefaultBranch } from './baseline/select.js';
import type { BaselineStore, LoadedBaseline } from './baseline/store.js';
import { runBenchmark, type BenchmarkHooks } from './benchmark.js';
import { prepareEndpoint } from './client/readiness.js';
import { prepareReference } from './client/reference.js';
import { metricInfo, type MetricInfo } from './metrics/catalogue.js';
import { secretsOf } from './config/parse.js';
import type { MeasureConfig, MergeConfig, RunConfig } from './domain/config.js';
import { writeJsonAtomic } from './files.js';
import type { ActionsEvent } from './github/context.js';
import type { ExitStatus } from './exit-status.js';
import {
  checkComparable,
  comparisonsWithoutBaselineWarnings,
  evaluateGate,
  judgeRun,
  judgementRecord,
  resolveThresholds,
  thresholdOptions,
} from './gate/index.js';
import { lookSchedule, measuresUntilDecided } from './gate/sequential.js';
import type { GateResult, Threshold, Verdict } from './domain/judgement.js';
import { failureLine } from './report/findings.js';
import { judged, type ReportInput } from './report/types.js';
import { buildResults, interimResults } from './results/build.js';
import type { BenchmarkKey, RunResults } from './domain/results.js';
import { loadMix } from './workload/index.js';
import type { Mix } from './workload/types.js';

export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The job's Actions event, read once by the entry point ({} outside Actions). */
  event: ActionsEvent;
  log: (line: string) => void;
  warn: (line: string) => void;
  signal?: AbortSignal;
  /** The cache client when `baseline-source: cache` (tests pass an in-memory one). */
  cacheClient?: CacheClient;
}

export interface RunOutcome {
  verdict: Verdict;
  results: RunResults;
  resultsPath: string;
  baselinePath?: string;
  gate?: GateResult;
  /** Everything the report renderers need. */
  report: ReportInput;
  /** Set when the run should fail the build, with the reason in one line. */
  failure?: string;
  /** 0 unless the build must fail: see src/exit-status.ts. */
  exitStatus: ExitStatus;
}

/**
 * The one engine behind the action and the CLI: measure, write results, then judge according to
 * the mode. Throws only for problems the user must fix (bad input, unreadable baseline, an
 * unreachable endpoint); results are written before any judgement can throw.
 */
export async function run(config: RunConfig, context: RunContext): Promise<RunOutcome> {
  const store = createBaselineStore(config, context);
  const measured =
    config.mode === 'merge'
      ? await mergedShards(config, context, store)
      : await measure(config, context, store);
  const { results, loaded, thresholds } = measured;
  const baseline = loaded?.record.results;
  if (baseline) results.warnings.push(...measuredThingWarnings(baseline, results));
  else if ((config.mode === 'gate' || config.mode === 'merge') && !results.paired) {
    results.warnings.push(...comparisonsWithoutBaselineWarnings(thresholds, config));
  }
  results.warnings.push(...(await baselineEditWarnings(config, context, loaded)));
  const resultsPath = resolve(context.cwd, config.resultsPath);
  await writeJsonAtomic(resultsPath, results);
  context.log(`results: ${resultsPath}`);

  const commitSha = context.env.GITHUB_SHA;
  // update-baseline: the admission rules decide whether this run may become the baseline; the
  // judge turns a refusal into the verdict like any other reason not to trust a run.
  const rules = admissionRulesOf(config, thresholds);
  const admission = config.mode === 'update-baseline' ? admitBaseline(results, rules) : undefined;
  const judgement = judgeRun({
    mode: config.mode,
    current: results,
    ...(baseline ? { baseline } : {}),
    ...(loaded ? { baselineLocation: loaded.location } : {}),
    thresholds,
    policy: config,
    ...(admission?.refusal
      ? {
          baselineRefusal: {
            reason: admission.refusal,
            cause: admission.refusedFor ?? 'untrusted',
          },
        }
      : {}),
  });
  const { verdict } = judgement;
  results.judgement = judgementRecord(judgement);
  await writeJsonAtomic(resultsPath, results);

  let baselinePath = loaded?.location;
  if (admission) logDetects(context, admission);
  if (config.mode === 'update-baseline' && verdict === 'updated') {
    baselinePath = await store.save(results);
    context.log(`baseline updated: ${baselinePath}`);
  }
  if (config.baselineSource === 'cache' && config.mode !== 'update-baseline') {
    await saveCacheRun(context, store, results, loaded, verdict, rules, config.baselineHistory);
  }

  const comparedWith = baseline ?? results.paired?.reference;
  const report: ReportInput = {
    current: results,
    ...(commitSha ? { commitSha } : {}),
    mode: config.mode === 'merge' ? 'gate' : config.mode,
    ...judged(judgement),
    ...(comparedWith ? { baseline: comparedWith } : {}),
    ...(baselinePath ? { baselinePath } : {}),
  };
  const failure = failureLine(judgement, describeKey(results.key));
  return {
    verdict,
    results,
    resultsPath,
    ...(baselinePath ? { baselinePath } : {}),
    ...(judgement.gate ? { gate: judgement.gate } : {}),
    report,
    ...(failure ? { failure } : {}),
    exitStatus: judgement.exitStatus,
  };
}

function logDetects(context: RunContext, admission: Admission): void {
  if (admission.detects.length > 0) {
    context.log(`this baseline lets the gate detect: ${admission.detects.join('; ')}`);
  }
}

/**
 * Default-branch runs are the cache's baselines; pull requests compare against them. A run is kept
 * only under the baseline admission rules, judged with the history it would carry.
 */
async function saveCacheRun(
  context: RunContext,
  store: BaselineStore,
  results: RunResults,
  loaded: LoadedBaseline | undefined,
  verdict: Verdict,
  rules: AdmissionRules,
  historyLength: number,
): Promise<void> {
  if (!onDefaultBranch(context.env, context.event)) return;
  const candidate = {
    ...results,
    history: nextHistory(loaded?.record.results, results, historyLength),
  };
  const admission = admitCacheRun(candidate, verdict, rules);
  if (admission.refusal) {
    context.warn(`baseline cache: this run is not kept as a baseline: ${admission.refusal}`);
    return;
  }
  logDetects(context, admission);
  await store.save(results);
}

interface Measured {
  results: RunResults;
  loaded?: LoadedBaseline;
  thresholds: Threshold[];
}

/** The user's thresholds over the defaults of the plan measured (open loop: TTFT from schedule). */
function thresholdsFor(
  config: RunConfig,
  plan: Parameters<typeof thresholdOptions>[0],
): Threshold[] {
  return resolveThresholds(config.thresholds, thresholdOptions(plan, config.sloAttainment));
}

async function loadBaseline(
  config: RunConfig,
  context: RunContext,
  store: BaselineStore,
  key: BenchmarkKey,
): Promise<LoadedBaseline | undefined> {
  if (config.mode !== 'gate' && config.mode !== 'merge') return undefined;
  const loaded = await store.load(key);
  context.log(loaded ? `baseline: ${loaded.location}` : 'baseline: none for this key yet');
  return loaded;
}

/** Runs the benchmark; the baseline is read first so that a corrupt one fails fast. */
async function measure(
  requested: MeasureConfig,
  context: RunContext,
  store: BaselineStore,
): Promise<Measured> {
  // Everything that can be wrong with the inputs fails here, before minutes of load.
  const thresholds = thresholdsFor(requested, requested);
  const mix = await loadMix(requested.promptMix, { baseDir: context.cwd });
  const ready = await prepareEndpoint(requested, context);
  const { servedModels } = ready;
  const config = requested.reference
    ? {
        ...ready.config,
        reference: await prepareReference(ready.config, requested.reference, context),
      }
    : ready.config;
  const key = {
    model: config.model,
    hardware: config.hardware,
    api: config.api,
    mixName: mix.name,
    mixFingerprint: mix.fingerprint,
  };
  context.log(`llm-perf-gate: ${describeKey(key)} → ${config.endpoint}`);
  // Paired A/B judges against the reference measured alongside: no baseline file is read.
  const loaded = config.reference ? undefined : await loadBaseline(config, context, store, key);
  if (config.reference) {
    context.log(
      `reference: ${config.reference.endpoint} (${config.reference.model}), measured alongside, request for request`,
    );
  }
  const baseline = loaded?.record.results;
  const pairedMetrics = config.reference ? metricsCompared(thresholds) : [];
  const outcome = await runBenchmark(config, mix, {
    log: context.log,
    warn: context.warn,
    secrets: secretsOf(config),
    ...(context.signal ? { signal: context.signal } : {}),
    ...(servedModels ? { servedModels } : {}),
    ...((baseline || config.reference) && measuresUntilDecided(config, true)
      ? { looks: untilDecided(config, mix, { baseline, pairedMetrics }, thresholds, context) }
      : {}),
  });
  const results = buildResults(config, mix, outcome, context.env, pairedMetrics);
  return loaded ? { results, loaded, thresholds } : { results, thresholds };
}

/**
 * The looks of a run that measures until decided: at each, the run so far is judged against the
 * baseline with that look's boundaries, and the run stops once more requests could not change
 * the verdict.
 */
function untilDecided(
  config: MeasureConfig,
  mix: Mix,
  against: { baseline: RunResults | undefined; pairedMetrics: readonly MetricInfo[] },
  thresholds: Threshold[],
  context: RunContext,
): NonNullable<BenchmarkHooks['looks']> {
  const at = lookSchedule(config.requests);
  return {
    at,
    decided: (soFar, look) => {
      const current = interimResults(config, mix, soFar, at, against.pairedMetrics);
      const baseline = against.baseline ?? current.paired?.reference;
      if (!baseline) return false;
      // A baseline of another load decides nothing: measure the budget, the judge says why.
      if (checkComparable(baseline, current).length > 0) return false;
      const gate = evaluateGate({
        baseline,
        current,
        thresholds,
        look,
        driftSigma: config.driftFloor,
      });
      const decided = gate.decided ?? true;
      context.log(
        `look ${look + 1}/${at.length} at ${soFar.run.summary.requests} requests: ` +
          (decided ? `decided (${gate.verdict}), stopping` : 'not decided yet, measuring on'),
      );
      return decided;
    },
  };
}

/**
 * The metrics a paired run needs the pairs' variance of: those a threshold compares (ungated rows
 * show the change only, and every look of a live run pays for each metric on the event loop).
 */
function metricsCompared(thresholds: readonly Threshold[]): MetricInfo[] {
  return thresholds.flatMap((threshold) =>
    threshold.kind === 'limit' ? [] : (metricInfo(threshold.metric) ?? []),
  );
}

/** mode merge: the shards' results are the measurement; the gate then runs once. */
async function mergedShards(
  config: MergeConfig,
  context: RunContext,
  store: BaselineStore,
): Promise<Measured> {
  // Merge mode only: @actions/glob stays out of every other run's start.
  const { mergeResultsGlob } = await import('./results/glob.js');
  const results = await mergeResultsGlob(resolve(context.cwd, config.resultsGlob));
  context.log(
    `merged ${results.summary.requests} requests from shards: ${describeKey(results.key)}`,
  );
  // Whether the load was open loop is the shards' plan, not this job's inputs.
  const thresholds = thresholdsFor(config, results.config);
  const loaded = await loadBaseline(config, context, store, results.key);
  return loaded ? { results, loaded, thresholds } : { results, thresholds };
}
