import { resolve } from 'node:path';
import { admissionRefusal, admissionRulesOf, cacheTrialRefusal } from './baseline/admission.js';
import { baselineEditWarnings } from './baseline/edited.js';
import { measuredThingWarnings } from './baseline/facts.js';
import { describeKey } from './baseline/key.js';
import type { CacheClient } from './baseline/cache-store.js';
import { createBaselineStore, onDefaultBranch } from './baseline/select.js';
import type { BaselineStore, LoadedBaseline } from './baseline/store.js';
import { runBenchmark } from './benchmark.js';
import { secretsOf } from './config/parse.js';
import type { RunConfig } from './config/types.js';
import { BaselineError } from './errors.js';
import { writeJsonAtomic } from './files.js';
import {
  checkComparable,
  evaluateGate,
  evaluateSweep,
  resolveThresholds,
  sweepDifferences,
} from './gate/index.js';
import type { GateResult, Verdict } from './gate/types.js';
import type { ReportInput } from './report/markdown.js';
import { buildResults } from './results/build.js';
import { mergeResultsGlob } from './results/glob.js';
import { shardsApartReason } from './results/merge.js';
import type { BenchmarkKey, RunResults } from './results/types.js';
import { loadMix } from './workload/index.js';

export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
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
}

/**
 * The one engine behind the action and the CLI: measure, write results, then judge according to
 * the mode. Throws only for problems the user must fix (bad input, unreadable baseline, an
 * unreachable endpoint); results are written before any judgement can throw.
 */
export async function run(config: RunConfig, context: RunContext): Promise<RunOutcome> {
  // Everything that can be wrong with the inputs fails here, before minutes of load.
  const thresholds = resolveThresholds(config.thresholds);
  const store = createBaselineStore(config, context);
  const measured =
    config.mode === 'merge'
      ? await mergedShards(config, context, store)
      : await measure(config, context, store);
  const { results, loaded } = measured;
  const baseline = loaded?.record.results;
  if (baseline) results.warnings.push(...measuredThingWarnings(baseline, results));
  results.warnings.push(...(await baselineEditWarnings(config, context, loaded)));
  const resultsPath = resolve(context.cwd, config.resultsPath);
  await writeJsonAtomic(resultsPath, results);
  context.log(`results: ${resultsPath}`);

  const commitSha = context.env.GITHUB_SHA;
  const reportBase = { current: results, ...(commitSha ? { commitSha } : {}) };

  // Staggered shards are not one load: refuse to judge rather than report a false regression.
  const apart = config.mode === 'merge' ? shardsApartReason(results) : undefined;
  if (apart) {
    // The reason is the run's 'shards-apart' warning, pinned under the report's headline.
    return {
      verdict: 'inconclusive',
      results,
      resultsPath,
      report: { ...reportBase, mode: 'gate', verdict: 'inconclusive' },
      ...(config.failOnRegression ? { failure: `inconclusive: ${apart}` } : {}),
    };
  }

  if (config.mode === 'report') {
    const verdict: Verdict = results.selfCheck.saturated ? 'inconclusive' : 'pass';
    return finish(config, {
      verdict,
      results,
      resultsPath,
      report: { ...reportBase, mode: 'report', verdict },
    });
  }

  if (config.mode === 'update-baseline') {
    const baselinePath = await saveBaseline(config, store, results);
    context.log(`baseline updated: ${baselinePath}`);
    return finish(config, {
      verdict: 'updated',
      results,
      resultsPath,
      baselinePath,
      report: { ...reportBase, mode: 'update-baseline', verdict: 'updated', baselinePath },
    });
  }

  if (!loaded || !baseline) {
    await saveCacheTrial(config, context, store, results, 'no-baseline');
    return finish(config, {
      verdict: 'no-baseline',
      results,
      resultsPath,
      report: { ...reportBase, mode: 'gate', verdict: 'no-baseline' },
    });
  }
  const differences = [
    ...checkComparable(baseline, results),
    ...sweepDifferences(baseline, results),
  ];
  if (differences.length > 0) {
    throw new BaselineError(
      `baseline ${loaded.location} is not comparable with this run: ${differences.join('; ')}; run update-baseline or restore the settings`,
    );
  }
  const gate = results.sweep
    ? evaluateSweep(baseline, results, thresholds)
    : evaluateGate({ baseline, current: results, thresholds });
  await saveCacheTrial(config, context, store, results, gate.verdict);
  return finish(config, {
    verdict: gate.verdict,
    results,
    resultsPath,
    baselinePath: loaded.location,
    gate,
    report: {
      ...reportBase,
      mode: 'gate',
      verdict: gate.verdict,
      baseline,
      gate,
      baselinePath: loaded.location,
    },
  });
}

interface Measured {
  results: RunResults;
  loaded?: LoadedBaseline;
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
  config: RunConfig,
  context: RunContext,
  store: BaselineStore,
): Promise<Measured> {
  const mix = await loadMix(config.promptMix, { baseDir: context.cwd });
  const key = {
    model: config.model,
    hardware: config.hardware,
    api: config.api,
    mixName: mix.name,
    mixFingerprint: mix.fingerprint,
  };
  context.log(`llm-perf-gate: ${describeKey(key)} → ${config.endpoint}`);
  const loaded = await loadBaseline(config, context, store, key);
  const outcome = await runBenchmark(config, mix, {
    log: context.log,
    warn: context.warn,
    secrets: secretsOf(config),
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const results = buildResults(config, mix, outcome, context.env);
  return loaded ? { results, loaded } : { results };
}

/** mode merge: the shards' results are the measurement; the gate then runs once. */
async function mergedShards(
  config: RunConfig,
  context: RunContext,
  store: BaselineStore,
): Promise<Measured> {
  const results = await mergeResultsGlob(resolve(context.cwd, config.resultsGlob));
  context.log(
    `merged ${results.summary.requests} requests from shards: ${describeKey(results.key)}`,
  );
  const loaded = await loadBaseline(config, context, store, results.key);
  return loaded ? { results, loaded } : { results };
}

async function saveBaseline(
  config: RunConfig,
  store: BaselineStore,
  results: RunResults,
): Promise<string> {
  const refusal = admissionRefusal(results, admissionRulesOf(config));
  if (refusal) {
    throw new BaselineError(`baseline not updated: ${refusal}; a baseline must be a clean run`);
  }
  return store.save(results);
}

/** Default-branch runs are the cache's baselines; pull requests compare against them. */
async function saveCacheTrial(
  config: RunConfig,
  context: RunContext,
  store: BaselineStore,
  results: RunResults,
  verdict: Verdict,
): Promise<void> {
  if (config.baselineSource !== 'cache' || !onDefaultBranch(context.env)) return;
  const refusal = cacheTrialRefusal(results, verdict, admissionRulesOf(config));
  if (refusal) context.log(`baseline cache: this run is not kept as a baseline: ${refusal}`);
  else await store.save(results);
}

function finish(config: RunConfig, outcome: RunOutcome): RunOutcome {
  const failure = failureOf(config, outcome);
  return failure ? { ...outcome, failure } : outcome;
}

function failureOf(config: RunConfig, outcome: RunOutcome): string | undefined {
  switch (outcome.verdict) {
    case 'regression':
      return config.failOnRegression
        ? `performance regression: ${outcome.gate?.reasons.join('; ') ?? 'see the report'}`
        : undefined;
    case 'inconclusive':
      return config.failOnRegression
        ? `inconclusive: ${outcome.results.selfCheck.reasons.join('; ')}; the gate does not pass a run whose load generator was the bottleneck`
        : undefined;
    case 'no-baseline':
      return config.failOnMissingBaseline
        ? `no baseline for ${describeKey(outcome.results.key)}; run with mode update-baseline first`
        : undefined;
    default:
      return undefined;
  }
}
