import {
  createHistogram,
  encodeHistogram,
  recordMs,
  EMPTY_SUMMARY,
} from '../../src/metrics/histogram.js';
import type { InputName } from '../../src/config/inputs.js';
import { parseMeasureConfig } from '../../src/config/parse.js';
import type { Random } from '../../src/random.js';
import { recordedConfig } from '../../src/results/build.js';
import {
  RESULTS_SCHEMA,
  type Distributions,
  type EncodedHistograms,
  type RecordedConfig,
  type RunResults,
  type TrialFigures,
} from '../../src/domain/results.js';
import type { DistributionSummary } from '../../src/domain/results.js';

/**
 * Synthetic results for proving the gate (test/unit/gate-simulation.test.ts, bench/gate.ts):
 * the brief's two kinds of noise, without HTTP. Within a run, TTFT and each request's TPOT are
 * log-normal with σ `withinSigma`; between runs, a prefill factor (TTFT) and a decode factor
 * (TPOT) are log-normal with σ `driftSigma` and shared by every request of the run. The two
 * factors are independent, which makes false alarms on TTFT and tokens/s add up (the
 * conservative case for the "any metric" rate). Closed loop: the window is Σ e2e / concurrency,
 * so tokens/s = concurrency × tokens / mean e2e. Headers come with the first token (as vLLM
 * sends them), so TTFB equals TTFT. Failures are fast HTTP 500s: they count in the error rate and
 * take no time.
 */
export interface NoiseModel {
  /** Measured requests per trial. */
  requests: number;
  trials: number;
  withinSigma: number;
  driftSigma: number;
  errorRate: number;
}

export interface SimulatedChange {
  /** TTFT multiplier: 1.2 is +20%. */
  ttftFactor: number;
  /** Output tokens/s multiplier, reached by slowing decode: 0.8 is −20%. */
  tokensPerSecondFactor: number;
  /** Added to the error rate: 0.02 is +2 pp. */
  errorRateDelta: number;
}

const NO_CHANGE: SimulatedChange = {
  ttftFactor: 1,
  tokensPerSecondFactor: 1,
  errorRateDelta: 0,
};

const SIMULATED_SERVER = {
  ttftMedianMs: 200,
  tpotMedianMs: 20,
  outputTokens: 128,
  concurrency: 8,
} as const;

const START_DATE = '2026-01-01T00:00:00.000Z';
const SIMULATED_START = Date.parse(START_DATE);

/** The configuration such a run would record (defaults for everything the model leaves open). */
function simulatedConfig(model: NoiseModel): RecordedConfig {
  const inputs: Partial<Record<InputName, string>> = {
    endpoint: 'http://simulated/v1',
    model: 'simulated-model',
    hardware: 'simulated',
    'prompt-mix': 'simulated',
    concurrency: String(SIMULATED_SERVER.concurrency),
    requests: String(model.requests),
    trials: String(model.trials),
    'warmup-requests': '0',
  };
  return recordedConfig(parseMeasureConfig((name) => inputs[name]));
}

/** The decode slow-down that turns the expected tokens/s into `factor` times its value. */
function decodeFactor(change: SimulatedChange, withinSigma: number): number {
  const logNormalMean = Math.exp((withinSigma * withinSigma) / 2);
  const ttftMean = SIMULATED_SERVER.ttftMedianMs * logNormalMean;
  const decodeMean =
    (SIMULATED_SERVER.outputTokens - 1) * SIMULATED_SERVER.tpotMedianMs * logNormalMean;
  const e2eTarget = (ttftMean + decodeMean) / change.tokensPerSecondFactor;
  return (e2eTarget - ttftMean * change.ttftFactor) / decodeMean;
}

/** Percentile by HdrHistogram's rank rule, from sorted values. */
function percentileOf(sorted: Float64Array, percentile: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length - 1e-9));
  return sorted[rank - 1]!;
}

/**
 * A summary from the exact values: HDR's would agree within 0.1%, and summarizing histograms
 * would be the slowest step of a simulated run.
 */
function summarize(sorted: Float64Array, weight = 1): DistributionSummary {
  const count = sorted.length;
  if (count === 0) return { ...EMPTY_SUMMARY };
  let sum = 0;
  for (const value of sorted) sum += value;
  const mean = sum / count;
  let squares = 0;
  for (const value of sorted) squares += (value - mean) ** 2;
  return {
    count: count * weight,
    minMs: sorted[0]!,
    meanMs: mean,
    p50Ms: percentileOf(sorted, 50),
    p90Ms: percentileOf(sorted, 90),
    p95Ms: percentileOf(sorted, 95),
    p99Ms: percentileOf(sorted, 99),
    p999Ms: percentileOf(sorted, 99.9),
    maxMs: sorted[count - 1]!,
    stdDevMs: Math.sqrt(squares / count),
  };
}

interface TrialSamples {
  ttft: Float64Array;
  tpot: Float64Array;
  e2e: Float64Array;
  failed: number;
  requests: number;
}

/** One trial's requests in the order they were sent; a failed request has `ok` 0. */
interface DrawnTrial {
  ttft: Float64Array;
  tpot: Float64Array;
  ok: Uint8Array;
}

function drawTrial(model: NoiseModel, change: SimulatedChange, random: Random): DrawnTrial {
  const prefillDrift = Math.exp(model.driftSigma * random.normal());
  const decodeDrift = Math.exp(model.driftSigma * random.normal());
  const slowdown = decodeFactor(change, model.withinSigma);
  const errorRate = model.errorRate + change.errorRateDelta;
  const drawn: DrawnTrial = {
    ttft: new Float64Array(model.requests),
    tpot: new Float64Array(model.requests),
    ok: new Uint8Array(model.requests),
  };
  for (let i = 0; i < model.requests; i++) {
    if (random.next() < errorRate) continue;
    drawn.ok[i] = 1;
    drawn.ttft[i] =
      prefillDrift *
      change.ttftFactor *
      random.logNormal(SIMULATED_SERVER.ttftMedianMs, model.withinSigma);
    drawn.tpot[i] =
      decodeDrift * slowdown * random.logNormal(SIMULATED_SERVER.tpotMedianMs, model.withinSigma);
  }
  return drawn;
}

/** The sorted samples of the trial's first `requests` requests. */
function samplesOf(drawn: DrawnTrial, requests: number): TrialSamples {
  const gaps = SIMULATED_SERVER.outputTokens - 1;
  const ttft = new Float64Array(requests);
  const tpot = new Float64Array(requests);
  const e2e = new Float64Array(requests);
  let succeeded = 0;
  for (let i = 0; i < requests; i++) {
    if (!drawn.ok[i]) continue;
    ttft[succeeded] = drawn.ttft[i]!;
    tpot[succeeded] = drawn.tpot[i]!;
    e2e[succeeded] = drawn.ttft[i]! + gaps * drawn.tpot[i]!;
    succeeded++;
  }
  const sorted = (values: Float64Array): Float64Array => values.subarray(0, succeeded).sort();
  return {
    ttft: sorted(ttft),
    tpot: sorted(tpot),
    e2e: sorted(e2e),
    failed: requests - succeeded,
    requests,
  };
}

function trialFigures(samples: TrialSamples): TrialFigures {
  let e2eSum = 0;
  for (const value of samples.e2e) e2eSum += value;
  const windowMs = e2eSum / SIMULATED_SERVER.concurrency;
  const succeeded = samples.e2e.length;
  const perSecond = (count: number): number => (windowMs > 0 ? (count * 1000) / windowMs : 0);
  return {
    requests: samples.requests,
    failed: samples.failed,
    windowMs,
    outputTokensPerSecond: perSecond(succeeded * SIMULATED_SERVER.outputTokens),
    requestsPerSecond: perSecond(samples.requests),
    ttftP50Ms: percentileOf(samples.ttft, 50),
    ttftP95Ms: percentileOf(samples.ttft, 95),
    ttftP99Ms: percentileOf(samples.ttft, 99),
    itlP95Ms: percentileOf(samples.tpot, 95),
    tpotP95Ms: percentileOf(samples.tpot, 95),
    e2eP95Ms: percentileOf(samples.e2e, 95),
    errorRate: samples.failed / samples.requests,
  };
}

/** Merges sorted arrays into one sorted array (linear, unlike sorting the concatenation). */
function mergeSorted(parts: Float64Array[]): Float64Array {
  return parts.reduce((merged, part) => {
    const out = new Float64Array(merged.length + part.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < out.length; k++) {
      out[k] =
        j >= part.length || (i < merged.length && merged[i]! <= part[j]!)
          ? merged[i++]!
          : part[j++]!;
    }
    return out;
  }, new Float64Array(0));
}

/** One run of `model.trials` trials against the simulated server, as a results file. */
export function simulateRun(
  model: NoiseModel,
  random: Random,
  change: SimulatedChange = NO_CHANGE,
): RunResults {
  const trials = Array.from({ length: model.trials }, (_, trial) =>
    samplesOf(drawTrial(model, change, random.fork(trial)), model.requests),
  );
  return resultsOf(model, trials);
}

/**
 * One trial measured until decided: the run as it stood at each look (`looks`, measured-request
 * counts; the last is the budget), as results files that record the looks.
 */
export function simulateLooks(
  model: NoiseModel,
  random: Random,
  looks: readonly number[],
  change: SimulatedChange = NO_CHANGE,
): RunResults[] {
  const budget = looks[looks.length - 1]!;
  const drawn = drawTrial({ ...model, requests: budget, trials: 1 }, change, random.fork(0));
  return looks.map((requests) => ({
    ...resultsOf({ ...model, requests: budget, trials: 1 }, [samplesOf(drawn, requests)]),
    sequential: { looks: [...looks] },
  }));
}

function resultsOf(model: NoiseModel, trials: TrialSamples[]): RunResults {
  const histograms = {
    ttft: createHistogram(),
    itl: createHistogram(),
    tpot: createHistogram(),
    e2e: createHistogram(),
  };
  const gaps = SIMULATED_SERVER.outputTokens - 1;
  for (const samples of trials) {
    for (const value of samples.ttft) recordMs(histograms.ttft, value);
    for (const value of samples.e2e) recordMs(histograms.e2e, value);
    for (const value of samples.tpot) {
      recordMs(histograms.tpot, value);
      // Every gap of a request is its TPOT here: one value with the count of its gaps.
      histograms.itl.recordValueWithCount(Math.round(value * 1000), gaps);
    }
  }
  const figures = trials.map(trialFigures);
  const requests = figures.reduce((total, trial) => total + trial.requests, 0);
  const failed = figures.reduce((total, trial) => total + trial.failed, 0);
  const succeeded = requests - failed;
  const windowMs = figures.reduce((total, trial) => total + trial.windowMs, 0);
  const outputTokens = succeeded * SIMULATED_SERVER.outputTokens;

  const ttft = summarize(mergeSorted(trials.map((samples) => samples.ttft)));
  const tpotSorted = mergeSorted(trials.map((samples) => samples.tpot));
  const distributions: Distributions = {
    ttfb: ttft,
    ttft,
    ttfo: ttft,
    itl: summarize(tpotSorted, SIMULATED_SERVER.outputTokens - 1),
    tpot: summarize(tpotSorted),
    e2e: summarize(mergeSorted(trials.map((samples) => samples.e2e))),
    scheduleDelay: summarize(new Float64Array(0)),
    ttftFromSchedule: ttft,
  };
  const empty = createHistogram();
  const ttftEncoded = encodeHistogram(histograms.ttft);
  const encoded: EncodedHistograms = {
    ttfb: ttftEncoded,
    ttft: ttftEncoded,
    ttfo: ttftEncoded,
    itl: encodeHistogram(histograms.itl),
    tpot: encodeHistogram(histograms.tpot),
    e2e: encodeHistogram(histograms.e2e),
    scheduleDelay: encodeHistogram(empty),
    ttftFromSchedule: ttftEncoded,
  };
  for (const histogram of [...Object.values(histograms), empty]) histogram.destroy();

  const perSecond = (count: number): number => (count * 1000) / windowMs;
  const tokens = SIMULATED_SERVER.outputTokens;
  return {
    schema: RESULTS_SCHEMA,
    tool: { name: 'llm-perf-gate', version: 'simulated' },
    key: {
      model: 'simulated-model',
      hardware: 'simulated',
      api: 'chat',
      mixName: 'simulated',
      mixFingerprint: 'simulated',
    },
    provenance: { date: START_DATE, toolVersion: 'simulated', runnerOs: 'simulated' },
    startedAt: START_DATE,
    finishedAt: new Date(SIMULATED_START + windowMs).toISOString(),
    partial: false,
    config: simulatedConfig(model),
    formulas: {},
    warmup: { requests: 0, failed: 0 },
    summary: {
      requests,
      succeeded,
      failed,
      errorRate: failed / requests,
      errorsByClass: failed > 0 ? { http_5xx: failed } : {},
      distributions,
      outputTokens,
      inputTokens: 0,
      estimatedTokenRequests: 0,
      goodRequests: succeeded,
      windowMs,
      windowStartEpochMs: SIMULATED_START,
      windowEndEpochMs: SIMULATED_START + windowMs,
      outputTokensPerSecond: perSecond(outputTokens),
      inputTokensPerSecond: 0,
      requestsPerSecond: perSecond(requests),
      outputLength: {
        requestedMin: tokens,
        requestedMax: tokens,
        receivedMin: tokens,
        receivedMax: tokens,
        shorterThanRequested: 0,
        fixedLengthIgnored: false,
      },
    },
    perClass: {},
    trials: figures,
    histograms: { overall: encoded, perClass: {} },
    selfCheck: {
      eventLoopUtilization: 0.1,
      timerLagP99Ms: 1,
      timerLagMaxMs: 2,
      saturated: false,
      reasons: [],
    },
    endpoint: {},
    warnings: [],
  };
}
