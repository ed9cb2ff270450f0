import { describe, expect, it } from 'vitest';
import type { BenchmarkOutcome } from '../../src/benchmark.js';
import type { RequestRecord } from '../../src/client/types.js';
import type { InputName } from '../../src/config/inputs.js';
import { parseMeasureConfig } from '../../src/config/parse.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import { bucketReader } from '../../src/gate/evidence.js';
import type { RequestPair } from '../../src/gate/paired.js';
import { percentileLogVariance } from '../../src/gate/statistics.js';
import { resolveThresholds } from '../../src/gate/thresholds.js';
import { IDLE_SELF_CHECK } from '../../src/load/self-check.js';
import { metricInfo, type MetricInfo } from '../../src/metrics/catalogue.js';
import { RunRecorder } from '../../src/metrics/recorder.js';
import { createRandom, type Random } from '../../src/random.js';
import { buildResults } from '../../src/results/build.js';
import type { RunResults } from '../../src/domain/results.js';
import type { Mix } from '../../src/workload/types.js';

const MIX = { name: 'paired-test', fingerprint: 'paired-test' } as Mix;
const CONFIG = (() => {
  const inputs: Partial<Record<InputName, string>> = {
    endpoint: 'http://candidate.test/v1',
    'reference-endpoint': 'http://reference.test/v1',
    model: 'm',
    concurrency: '4',
    requests: '600',
    'warmup-requests': '0',
    'stop-when-decided': 'false',
  };
  return parseMeasureConfig((name) => inputs[name]);
})();
const TTFT_P95 = metricInfo('ttft.p95')!;
const TOKENS_PER_SECOND = metricInfo('output_tokens_per_second')!;

function record(index: number, ttftMs: number, tpotMs: number, tokens: number): RequestRecord {
  return {
    index,
    className: 'c',
    ok: true,
    startMs: 0,
    scheduleDelayMs: 0,
    ttftMs,
    e2eMs: ttftMs + (tokens - 1) * tpotMs,
    itlMs: [],
    outputTokens: tokens,
    outputTokensEstimated: false,
    tokenCounting: 'usage',
    textEvents: tokens,
    maxTokens: tokens,
  };
}

interface Scenario {
  pairs: number;
  /** σ of what both requests of a pair share (the prompt, the moment). */
  sharedSigma: number;
  /** σ of each side's own noise. */
  ownSigma: number;
  ttftFactor?: number;
}

/** A paired run of `pairs` requests, through the recorder and buildResults as a real run. */
function pairedRun(scenario: Scenario, random: Random, metrics: readonly MetricInfo[]): RunResults {
  const recorders = [0, 1].map(
    () =>
      new RunRecorder({
        slo: {},
        fixedLengthRequested: false,
        busyWindowConcurrency: CONFIG.concurrency,
      }),
  );
  const pairs: RequestPair[] = [];
  for (let index = 0; index < scenario.pairs; index++) {
    const shared = Math.exp(scenario.sharedSigma * random.normal());
    const tokens = 64 + random.int(64);
    const side = (factor: number) =>
      record(
        index,
        100 * shared * factor * Math.exp(scenario.ownSigma * random.normal()),
        10 * shared * Math.exp(scenario.ownSigma * random.normal()),
        tokens,
      );
    const pair = { candidate: side(scenario.ttftFactor ?? 1), reference: side(1) };
    recorders[0]!.record(pair.candidate);
    recorders[1]!.record(pair.reference);
    pairs.push(pair);
  }
  const [candidate, reference] = recorders.map((recorder) => recorder.finish());
  const outcome: BenchmarkOutcome = {
    ...candidate!,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    partial: false,
    warmup: { requests: 0, failed: 0 },
    trials: [],
    selfCheck: IDLE_SELF_CHECK,
    endpoint: {},
    health: { status: 'healthy' },
    reference: {
      ...reference!,
      warmup: { requests: 0, failed: 0 },
      trials: [],
      endpoint: {},
      health: { status: 'healthy' },
      pairs,
    },
  };
  return buildResults(CONFIG, MIX, outcome, {}, metrics);
}

/** ln(candidate / reference) over its paired standard error. */
function zOf(results: RunResults, info: MetricInfo, value: (run: RunResults) => number): number {
  const paired = results.paired!;
  const variance = paired.logVariancePerPair[info.metric]! / paired.pairs;
  return Math.log(value(results) / value(paired.reference)) / Math.sqrt(variance);
}

const sd = (values: readonly number[]) => {
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  return Math.sqrt(values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length);
};

describe('paired statistics', () => {
  it('cancels what a pair shares: far below the two sides measured apart', () => {
    const results = pairedRun({ pairs: 2000, sharedSigma: 0.5, ownSigma: 0.15 }, createRandom(3), [
      TTFT_P95,
    ]);
    const paired = results.paired!.logVariancePerPair['ttft.p95']! / results.paired!.pairs;
    const apart = [results, results.paired!.reference].reduce(
      (total, side) => total + percentileLogVariance(bucketReader(side)('ttft'), 95),
      0,
    );
    // A pair's tail indicators move together, not in lockstep: the quantiles' limit of pairing.
    expect(paired).toBeLessThan(apart / 2);
  });

  it('equals the two sides measured apart when a pair shares nothing', () => {
    const results = pairedRun({ pairs: 4000, sharedSigma: 0, ownSigma: 0.3 }, createRandom(4), [
      TTFT_P95,
    ]);
    const paired = results.paired!.logVariancePerPair['ttft.p95']! / results.paired!.pairs;
    const apart = [results, results.paired!.reference].reduce(
      (total, side) => total + percentileLogVariance(bucketReader(side)('ttft'), 95),
      0,
    );
    expect(paired / apart).toBeGreaterThan(0.7);
    expect(paired / apart).toBeLessThan(1.4);
  });

  it('is calibrated: with no change, L over its standard error spreads like N(0, 1)', () => {
    const random = createRandom(5);
    const runs = Array.from({ length: 50 }, (_, run) =>
      pairedRun({ pairs: 300, sharedSigma: 0.4, ownSigma: 0.2 }, random.fork(run), [
        TTFT_P95,
        TOKENS_PER_SECOND,
      ]),
    );
    const ttft = runs.map((run) =>
      zOf(run, TTFT_P95, (side) => side.summary.distributions.ttft.p95Ms),
    );
    const tokens = runs.map((run) =>
      zOf(run, TOKENS_PER_SECOND, (side) => side.summary.outputTokensPerSecond),
    );
    // 50 draws (each run allocates its histograms: the test's cost): the sample sd of N(0, 1)
    // is 1 ± 0.1, so ±0.3 is three of its own spreads.
    expect(sd(ttft)).toBeGreaterThan(0.7);
    expect(sd(ttft)).toBeLessThan(1.3);
    expect(sd(tokens)).toBeGreaterThan(0.7);
    expect(sd(tokens)).toBeLessThan(1.3);
  });

  it('catches twice the threshold on TTFT p95 with no drift floor, and passes no change', () => {
    const thresholds = resolveThresholds('ttft.p95: +10%').filter(
      (threshold) => threshold.metric === 'ttft.p95',
    );
    const slower = pairedRun(
      { pairs: 1000, sharedSigma: 0.5, ownSigma: 0.15, ttftFactor: 1.2 },
      createRandom(6),
      [TTFT_P95],
    );
    const unchanged = pairedRun(
      { pairs: 1000, sharedSigma: 0.5, ownSigma: 0.15 },
      createRandom(7),
      [TTFT_P95],
    );
    const caught = evaluateGate({ current: slower, thresholds });
    expect(caught.verdict).toBe('regression');
    const check = caught.checks.find((entry) => entry.metric === 'ttft.p95')!;
    expect(check.detectable?.paired).toBe(true);
    expect(check.detectable?.floor).toBeUndefined();
    expect(check.detectable!.blind).toBe(false);
    expect(evaluateGate({ current: unchanged, thresholds }).verdict).toBe('pass');
  });
});
