/**
 * Hand-built RunResults for report tests: seeded log-normal latencies recorded into real HDR
 * histograms (the shared histogram module), summarised and encoded as the runner would.
 */
import type { ErrorClass } from '../../src/domain/request.js';
import {
  createHistogram,
  encodeHistogram,
  recordMs,
  summarizeHistogram,
  type Histogram,
} from '../../src/metrics/histogram.js';
import { createRandom, type Random } from '../../src/random.js';
import { warningsFor } from '../../src/results/build.js';
import {
  CONFIG_SCHEMA,
  DISTRIBUTIONS,
  RESULTS_SCHEMA,
  type ClassFigures,
  type DistributionName,
  type Distributions,
  type EncodedHistograms,
  type RunResults,
} from '../../src/domain/results.js';

export interface FixtureOptions {
  seed?: number;
  model?: string;
  hardware?: string;
  mixName?: string;
  /** Prompt classes; requests are split evenly between them. */
  classes?: string[];
  requestsPerClass?: number;
  ttftMedianMs?: number;
  itlMedianMs?: number;
  outputTokens?: number;
  /** Failures per class, all of this error class. */
  failedPerClass?: number;
  errorClass?: ErrorClass;
  commit?: string;
  date?: string;
  server?: string;
  /** Open loop at this rate (closed loop when unset). */
  requestRate?: number;
}

interface ClassBuild {
  figures: ClassFigures;
  histograms: Record<DistributionName, Histogram>;
}

function recordClass(random: Random, options: Required<FixtureOptions>): ClassBuild {
  const histograms = Object.fromEntries(
    DISTRIBUTIONS.map((name) => [name, createHistogram()]),
  ) as Record<DistributionName, Histogram>;
  const succeeded = options.requestsPerClass - options.failedPerClass;
  for (let i = 0; i < succeeded; i++) {
    const ttft = random.logNormal(options.ttftMedianMs, 0.25);
    const scheduleDelay = options.requestRate > 0 ? random.exponential(2) : 0;
    let e2e = ttft;
    for (let token = 1; token < options.outputTokens; token++) {
      const gap = random.logNormal(options.itlMedianMs, 0.2);
      recordMs(histograms.itl, gap);
      e2e += gap;
    }
    recordMs(histograms.ttfb, ttft * 0.2);
    recordMs(histograms.ttft, ttft);
    recordMs(histograms.ttfo, ttft);
    recordMs(histograms.tpot, (e2e - ttft) / (options.outputTokens - 1));
    recordMs(histograms.e2e, e2e);
    recordMs(histograms.scheduleDelay, scheduleDelay);
    recordMs(histograms.ttftFromSchedule, ttft + scheduleDelay);
  }
  const distributions = Object.fromEntries(
    DISTRIBUTIONS.map((name) => [name, summarizeHistogram(histograms[name])]),
  ) as Distributions;
  const failed = options.failedPerClass;
  return {
    histograms,
    figures: {
      requests: options.requestsPerClass,
      succeeded,
      failed,
      errorRate: failed / options.requestsPerClass,
      errorsByClass: failed > 0 ? { [options.errorClass]: failed } : {},
      distributions,
      outputTokens: succeeded * options.outputTokens,
      inputTokens: succeeded * 100,
      estimatedTokenRequests: 0,
      goodRequests: succeeded,
    },
  };
}

function encodeAll(histograms: Record<DistributionName, Histogram>): EncodedHistograms {
  return Object.fromEntries(
    DISTRIBUTIONS.map((name) => [name, encodeHistogram(histograms[name])]),
  ) as EncodedHistograms;
}

/**
 * Fixtures by their options. Building one summarises 18 HDR histograms (a fifth of a second, most
 * of the unit lane's time), and the unit files ask for 39 different ones in 132 calls; each
 * caller gets its own copy, free to change it.
 */
const built = new Map<string, RunResults>();

export function buildResults(fixture: FixtureOptions = {}): RunResults {
  const key = JSON.stringify(fixture, Object.keys(fixture).sort());
  let results = built.get(key);
  if (!results) {
    results = build(fixture);
    built.set(key, results);
  }
  return structuredClone(results);
}

function build(fixture: FixtureOptions): RunResults {
  const options: Required<FixtureOptions> = {
    seed: 1,
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    hardware: 'h100x1',
    mixName: 'short-chat',
    classes: ['chat', 'summarize'],
    requestsPerClass: 250,
    ttftMedianMs: 200,
    itlMedianMs: 12,
    outputTokens: 16,
    failedPerClass: 0,
    errorClass: 'http_429',
    commit: 'def5678def5678def5678def5678def5678def56',
    date: '2026-11-02T14:03:00.000Z',
    server: 'uvicorn',
    requestRate: 0,
    ...fixture,
  };
  const random = createRandom(options.seed);
  const builds = options.classes.map(
    (name) => [name, recordClass(random.fork(name), options)] as const,
  );

  const overall = Object.fromEntries(
    DISTRIBUTIONS.map((name) => [name, createHistogram()]),
  ) as Record<DistributionName, Histogram>;
  for (const [, build] of builds) {
    for (const name of DISTRIBUTIONS) overall[name].add(build.histograms[name]);
  }
  const perClass = Object.fromEntries(builds.map(([name, build]) => [name, build.figures]));
  const requests = options.requestsPerClass * options.classes.length;
  const failed = options.failedPerClass * options.classes.length;
  const succeeded = requests - failed;
  const windowMs = 60_000;
  const outputTokens = succeeded * options.outputTokens;
  const openLoop = options.requestRate > 0;

  const results: RunResults = {
    schema: RESULTS_SCHEMA,
    tool: { name: 'llm-perf-gate', version: '0.1.0' },
    key: {
      model: options.model,
      hardware: options.hardware,
      api: 'chat',
      mixName: options.mixName,
      mixFingerprint: '3f2a9c1e7b6d5a4c3f2a9c1e7b6d5a4c3f2a9c1e7b6d5a4c3f2a9c1e7b6d5a4c',
    },
    provenance: {
      commit: options.commit,
      ref: 'refs/heads/main',
      date: options.date,
      toolVersion: '0.1.0',
      runnerOs: 'Linux',
    },
    startedAt: options.date,
    finishedAt: options.date,
    partial: false,
    config: {
      schema: CONFIG_SCHEMA,
      endpoint: 'http://127.0.0.1:8000/v1',
      model: options.model,
      api: 'chat',
      hardware: options.hardware,
      promptMix: options.mixName,
      concurrency: 8,
      requestRate: openLoop ? options.requestRate : undefined,
      arrival: 'poisson',
      burstiness: 1,
      requests,
      stopWhenDecided: true,
      driftFloor: 0.03,
      sloAttainment: 0.95,
      warmupRequests: 10,
      timeoutMs: 60_000,
      seed: 42,
      extraBody: { ignore_eos: true },
      headers: [],
      cacheBust: true,
      mode: 'gate',
      baselineDir: 'baselines',
      baselineSource: 'files',
      thresholds: '',
      failOnRegression: true,
      failOnMissingBaseline: false,
      onLowSensitivity: 'inconclusive',
      comment: 'always',
      resultsPath: 'llm-perf-gate-results.json',
      trials: 1,
      slo: {},
      baselineMaxErrorRate: 0.05,
      acceptNoisyBaseline: false,
      baselineHistory: 5,
      progressIntervalMs: 5000,
      resultsGlob: 'llm-perf-gate-shards/**/*.json',
      metricsIntervalMs: 5000,
    },
    formulas: {},
    warmup: { requests: 10, failed: 0 },
    summary: {
      requests,
      succeeded,
      failed,
      errorRate: failed / requests,
      errorsByClass: failed > 0 ? { [options.errorClass]: failed } : {},
      distributions: Object.fromEntries(
        DISTRIBUTIONS.map((name) => [name, summarizeHistogram(overall[name])]),
      ) as Distributions,
      outputTokens,
      inputTokens: succeeded * 100,
      estimatedTokenRequests: 0,
      goodRequests: succeeded,
      windowMs,
      windowStartEpochMs: Date.parse('2026-11-20T10:00:00Z'),
      windowEndEpochMs: Date.parse('2026-11-20T10:00:00Z') + windowMs,
      outputTokensPerSecond: outputTokens / (windowMs / 1000),
      inputTokensPerSecond: (succeeded * 100) / (windowMs / 1000),
      requestsPerSecond: requests / (windowMs / 1000),
      outputLength: {
        requestedMin: options.outputTokens,
        requestedMax: options.outputTokens,
        receivedMin: options.outputTokens,
        receivedMax: options.outputTokens,
        shorterThanRequested: 0,
        fixedLengthIgnored: false,
      },
    },
    perClass,
    trials: [],
    histograms: {
      overall: encodeAll(overall),
      perClass: Object.fromEntries(
        builds.map(([name, build]) => [name, encodeAll(build.histograms)]),
      ),
    },
    selfCheck: {
      eventLoopUtilization: 0.12,
      timerLagP99Ms: 1.3,
      timerLagMaxMs: 4.2,
      requestedRate: openLoop ? options.requestRate : undefined,
      achievedRate: openLoop ? options.requestRate * 0.98 : undefined,
      saturated: false,
      reasons: [],
    },
    endpoint: { server: options.server, systemFingerprint: 'fp_abc123' },
    warnings: [],
  };
  // As src/results/build.ts does: warnings are made once, from the figures.
  results.warnings = warningsFor(results);
  return results;
}
