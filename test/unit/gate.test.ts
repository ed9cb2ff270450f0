import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { checkComparable } from '../../src/gate/comparable.js';
import { fisherMidP, normalCdf, normalQuantile } from '../../src/gate/distributions.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import { bucketReader } from '../../src/gate/evidence.js';
import {
  simulateRun,
  type NoiseModel,
  type SimulatedChange,
} from '../../bench/gate-sim/simulate.js';
import { driftVariance, percentileLogVariance } from '../../src/gate/statistics.js';
import {
  defaultThresholds,
  parseThresholds,
  resolveThresholds,
} from '../../src/gate/thresholds.js';
import type { GateResult, MetricCheck } from '../../src/domain/judgement.js';
import { wordFinding } from '../../src/report/findings.js';
import { createRandom } from '../../src/random.js';
import type { RunResults } from '../../src/domain/results.js';

const MODEL: NoiseModel = {
  requests: 500,
  trials: 1,
  withinSigma: 0.25,
  driftSigma: 0,
  errorRate: 0,
};

function run(seed: number, change?: Partial<SimulatedChange>, model: Partial<NoiseModel> = {}) {
  return simulateRun({ ...MODEL, ...model }, createRandom(seed), {
    ttftFactor: 1,
    tokensPerSecondFactor: 1,
    errorRateDelta: 0,
    ...change,
  });
}

function check(result: GateResult, metric: string): MetricCheck {
  const found = result.checks.find((entry) => entry.metric === metric && entry.threshold);
  if (!found) throw new Error(`no gated check for ${metric}`);
  return found;
}

/** The gate's findings as the report words them. */
function reasons(result: GateResult): string[] {
  return result.findings.map(wordFinding);
}

/**
 * Most tests look at metric statuses on 500-request runs, which cannot see twice the default
 * TTFT threshold (see "names a blind spot"): they take the blind-spot verdict `pass`.
 */
function gate(baseline: RunResults, current: RunResults, thresholds = defaultThresholds()) {
  return evaluateGate({ baseline, current, thresholds, onLowSensitivity: 'pass' });
}

function thresholdError(text: string): string {
  try {
    parseThresholds(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('thresholds');
    return (error as Error).message;
  }
  throw new Error(`"${text}" parsed without an error`);
}

describe('parseThresholds', () => {
  it('reads relative changes with the sign of the bad direction', () => {
    expect(parseThresholds('ttft.p95: +10%')).toEqual([
      {
        metric: 'ttft.p95',
        kind: 'relative',
        value: 0.1,
        direction: 'higher-is-worse',
        source: 'ttft.p95: +10%',
      },
    ]);
    expect(parseThresholds('output_tokens_per_second: -5%')[0]).toMatchObject({
      metric: 'output_tokens_per_second',
      kind: 'relative',
      value: 0.05,
      direction: 'lower-is-worse',
    });
    // A bare percentage means the bad direction.
    expect(parseThresholds('throughput: 10%')[0]).toMatchObject({
      metric: 'output_tokens_per_second',
      value: 0.1,
    });
  });

  it('reads absolute changes in ms, s and percentage points', () => {
    expect(parseThresholds('e2e.p95: +250ms')[0]).toMatchObject({
      kind: 'absolute-change',
      value: 250,
    });
    expect(parseThresholds('itl.p99: +0.5s')[0]).toMatchObject({ value: 500 });
    expect(parseThresholds('error_rate: +2pp')[0]).toMatchObject({
      metric: 'error_rate',
      kind: 'absolute-change',
      value: 0.02,
    });
    expect(parseThresholds('requests_per_second: -2 req/s')[0]).toMatchObject({
      kind: 'absolute-change',
      value: 2,
      direction: 'lower-is-worse',
    });
  });

  it('reads limits with their operator', () => {
    expect(parseThresholds('ttft.p99: < 800ms')[0]).toMatchObject({
      kind: 'limit',
      value: 800,
      inclusive: false,
    });
    expect(parseThresholds('ttft.p99.9: <= 1.5s')[0]).toMatchObject({
      metric: 'ttft.p99.9',
      value: 1500,
      inclusive: true,
    });
    expect(parseThresholds('tokens_per_second: > 500')[0]).toMatchObject({
      metric: 'output_tokens_per_second',
      kind: 'limit',
      value: 500,
    });
    expect(parseThresholds('error_rate: < 0.5%')[0]).toMatchObject({ value: 0.005 });
    expect(parseThresholds('error_rate: <= 0.01')[0]).toMatchObject({ value: 0.01 });
  });

  it('reads the k6 forms', () => {
    const parsed = parseThresholds(
      [
        'ttft: p(95)<800, p(99)<1200',
        "tpot: ['p(99.9)<40', 'med<20']",
        'e2e:',
        '  - max<30000',
        'error_rate: rate<0.01',
      ].join('\n'),
    );
    expect(parsed.map(({ metric, kind, value }) => [metric, kind, value])).toEqual([
      ['ttft.p95', 'limit', 800],
      ['ttft.p99', 'limit', 1200],
      ['tpot.p99.9', 'limit', 40],
      ['tpot.p50', 'limit', 20],
      ['e2e.max', 'limit', 30000],
      ['error_rate', 'limit', 0.01],
    ]);
    expect(parsed[1]!.source).toBe('ttft: p(99)<1200');
  });

  it('ignores comments, blank lines and case; splits on semicolons', () => {
    const parsed = parseThresholds(
      '# latency\n\nTTFT.P95: +10%  # tail\nitl.p95: +5%; tpot.p95: +1ms\n',
    );
    expect(parsed.map((threshold) => threshold.metric)).toEqual([
      'ttft.p95',
      'itl.p95',
      'tpot.p95',
    ]);
  });

  it('names the line and the problem of a malformed line', () => {
    expect(thresholdError('ttft.p95: +10%\n\nttft.p97: +10%')).toBe(
      'thresholds line 3 "ttft.p97: +10%": unknown metric "ttft.p97"; expected one of ttft, ttft_from_schedule, ttfb, ' +
        'ttfo, itl, tpot or e2e with .p50, .p90, .p95, .p99, .p99.9 or .max; ' +
        'output_tokens_per_second (tokens_per_second, throughput); requests_per_second; goodput; slo_attainment; error_rate',
    );
    expect(thresholdError('output_tokens_per_second: +10%')).toBe(
      'thresholds line 1 "output_tokens_per_second: +10%": output_tokens_per_second is worse when ' +
        'it falls: write -10% (it may fall at most 10%)',
    );
    expect(thresholdError('ttft.p95: -10%')).toMatch(/worse when it rises: write \+10%/);
    expect(thresholdError('ttft.p95: > 800ms')).toMatch(/write its limit as < N/);
    expect(thresholdError('throughput: < 500')).toMatch(/write its limit as > N/);
    expect(thresholdError('error_rate: +1%')).toMatch(/percentage points: write \+1pp/);
    expect(thresholdError('error_rate: < 5')).toMatch(/above 1: write a percent \(5%\)/);
    expect(thresholdError('ttft: +10%')).toMatch(/needs a percentile: write ttft\.p95/);
    expect(thresholdError('ttft: avg<200')).toMatch(/"avg" is not gated/);
    expect(thresholdError('ttft: p(97)<800')).toMatch(/unsupported percentile p\(97\)/);
    expect(thresholdError('goodput: rate<0.1')).toMatch(/rate<N applies to error_rate only/);
    expect(thresholdError('throughput: p(95)<800')).toMatch(
      /applies to ttft, ttft_from_schedule, ttfb/,
    );
    expect(thresholdError('ttft.p95: 50ms')).toMatch(/needs its sign: write \+50ms/);
    expect(thresholdError('ttft.p95: +10 tok/s')).toMatch(/is a latency: use ms or s/);
    expect(thresholdError('throughput: -5ms')).toMatch(/is in tok\/s/);
    expect(thresholdError('ttft.p95: +0%')).toMatch(/must be above 0%/);
    expect(thresholdError('throughput: -100%')).toMatch(/below 100% for a fall/);
    expect(thresholdError('ttft.p95: soon')).toMatch(/expected a relative change/);
    expect(thresholdError('p(99)<1200')).toBe(
      'thresholds line 1 "p(99)<1200": expected "metric: expression", e.g. "ttft.p95: +10%"',
    );
    expect(thresholdError('ttft:\nerror_rate: +1pp')).toMatch(/line 1 "ttft:": no expression/);
  });

  it('keeps the defaults, replaces them per metric, and drops them with off', () => {
    expect(defaultThresholds().map(({ metric, kind, value }) => [metric, kind, value])).toEqual([
      ['ttft.p95', 'relative', 0.1],
      ['output_tokens_per_second', 'relative', 0.1],
      ['error_rate', 'absolute-change', 0.01],
    ]);
    expect(resolveThresholds('')).toEqual(defaultThresholds());
    const resolved = resolveThresholds(
      'ttft.p95: +20%, ttft.p95: < 900ms\nthroughput: off\nitl.p95: +15%',
    );
    expect(resolved.map((threshold) => threshold.source)).toEqual([
      'ttft.p95: +20%',
      'ttft.p95: < 900ms',
      'error_rate: +1pp (default)',
      'itl.p95: +15%',
    ]);
  });
});

describe('evaluateGate', () => {
  const baseline = run(1);

  it('passes identical runs and shows the informational rows', () => {
    const result = gate(baseline, baseline);
    expect(result.verdict).toBe('pass');
    // 500 requests a side cannot see everything at the default thresholds: named, not failed.
    expect(result.findings.every((finding) => finding.kind === 'low-sensitivity')).toBe(true);
    expect(result.checks.map((entry) => entry.label)).toEqual([
      'TTFT p50',
      'TTFT p95',
      'TTFT p99',
      'ITL p95',
      'TPOT p95',
      'E2E p95',
      'Output tokens/s',
      'Requests/s',
      'Error rate',
    ]);
    expect(result.checks.every((entry) => entry.status === 'pass')).toBe(true);
    expect(check(result, 'ttft.p95').evidence).toMatch(
      /^0\.0% \(99% CI −.+% … \+.+%\), p=0\.50, n=500\/500$/,
    );
  });

  it('passes an A/A pair', () => {
    expect(gate(baseline, run(2)).verdict).toBe('pass');
  });

  it('fails TTFT +50% as a regression with its evidence', () => {
    const result = gate(baseline, run(2, { ttftFactor: 1.5 }));
    expect(result.verdict).toBe('regression');
    const ttft = check(result, 'ttft.p95');
    expect(ttft.status).toBe('regression');
    expect(ttft.relativeDelta).toBeGreaterThan(0.4);
    expect(ttft.evidence).toMatch(
      /^\+\d+\.\d% \(99% CI \+\d+\.\d% … \+\d+\.\d%\), p<0\.0001, n=500\/500$/,
    );
    expect(reasons(result)[0]).toBe(`TTFT p95 regressed beyond ≤ +10%: ${ttft.evidence}.`);
    expect(result.findings.filter((finding) => finding.kind === 'regression')).toHaveLength(1);
  });

  it('fails tokens/s −33% (as ITL 4 → 6 ms would)', () => {
    const result = gate(baseline, run(2, { tokensPerSecondFactor: 0.67 }));
    expect(result.verdict).toBe('regression');
    expect(check(result, 'output_tokens_per_second').status).toBe('regression');
    expect(check(result, 'ttft.p95').status).toBe('pass');
  });

  it('fails 10% HTTP 500s against none on the error rate', () => {
    const result = gate(baseline, run(2, { errorRateDelta: 0.1 }));
    expect(result.verdict).toBe('regression');
    const errors = check(result, 'error_rate');
    expect(errors.status).toBe('regression');
    expect(errors.evidence).toMatch(
      /^\+\d+\.\d\d pp \(0\/500 → \d+\/500 failed\), Fisher p<0\.0001$/,
    );
  });

  it('does not fail one error in 500 against none', () => {
    const current = withFailures(run(2), 1);
    expect(check(gate(baseline, current), 'error_rate').status).toBe('pass');
  });

  it('reports a change beyond the threshold but within noise as noise, not failed', () => {
    // The same requests 12% slower: beyond +10%, but 200 samples at σ 0.5 cannot show it.
    const noisy = { requests: 200, withinSigma: 0.5 };
    const result = gate(run(3, {}, noisy), run(3, { ttftFactor: 1.12 }, noisy));
    const ttft = check(result, 'ttft.p95');
    expect(ttft.relativeDelta).toBeCloseTo(0.12, 2);
    expect(ttft.status).toBe('noise');
    expect(result.findings.map((finding) => finding.kind)).toContain('noise');
    // A change the gate cannot tell from noise is a blind spot: inconclusive by default.
    expect(
      evaluateGate({
        baseline: run(3, {}, noisy),
        current: run(3, { ttftFactor: 1.12 }, noisy),
        thresholds: defaultThresholds(),
      }).verdict,
    ).toBe('inconclusive');
    expect(reasons(result)[0]).toMatch(
      /^TTFT p95 moved beyond ≤ \+10% but this comparison cannot tell that from noise \(\+12\.0% .*; it could detect ≥ \+\d+% at 200 requests; a stored baseline never sees less than ≥ \+\d+% \(run-to-run drift\)\): not failed; raise requests/,
    );
  });

  it('reports improvements', () => {
    const result = gate(baseline, run(2, { ttftFactor: 0.7, tokensPerSecondFactor: 1.3 }));
    expect(check(result, 'ttft.p95').status).toBe('improvement');
    expect(check(result, 'output_tokens_per_second').status).toBe('improvement');
    expect(result.verdict).toBe('pass');
  });

  it('is inconclusive when the load generator was saturated', () => {
    const current = run(2, { ttftFactor: 1.5 });
    current.selfCheck = { ...current.selfCheck, saturated: true, reasons: ['event loop 98% busy'] };
    const result = gate(baseline, current);
    expect(result.verdict).toBe('inconclusive');
    expect(reasons(result)[0]).toMatch(
      /^The load generator, not the endpoint, limited this run \(event loop 98% busy\)/,
    );
  });

  it('warns instead of judging a percentile from too few samples', () => {
    const small = { requests: 150 };
    const result = gate(run(3, {}, small), run(4, { ttftFactor: 1.5 }, small));
    const ttft = check(result, 'ttft.p95');
    expect(ttft.status).toBe('insufficient');
    expect(result.findings.map((finding) => finding.kind)).toContain('not-judged');
    expect(reasons(result)).toContain(
      'TTFT p95 not judged: n=150/150; a stable p95 needs at least 200 samples per run (raise requests).',
    );
  });

  it('checks limits directly and warns when a met limit rests on too few samples', () => {
    const thresholds = parseThresholds('ttft: p(95)<1, p(99)<100000\nthroughput: > 1000000');
    const result = gate(baseline, run(2), thresholds);
    const [p95, p99] = result.checks.filter(
      (entry) => entry.metric.startsWith('ttft.p9') && entry.threshold,
    );
    expect(p95!.status).toBe('regression');
    expect(p95!.evidence).toMatch(/^\d+ ms vs limit < 1\.00 ms, n=500$/);
    expect(p99!.status).toBe('insufficient');
    expect(check(result, 'output_tokens_per_second').status).toBe('regression');
    expect(reasons(result)[0]).toMatch(
      /^TTFT p95 broke its limit \(< 1\.00 ms\): \d+ ms vs limit < 1\.00 ms, n=500\.$/,
    );
  });

  it('never silently passes a gated metric the runs did not measure', () => {
    const result = gate(baseline, run(2), parseThresholds('goodput: -10%'));
    expect(check(result, 'goodput').status).toBe('insufficient');
    expect(reasons(result)[0]).toMatch(/^Goodput not judged: not measured/);
  });

  it('names a blind spot: a single 500-request run cannot see TTFT +20%, 1000 requests can', () => {
    const small = evaluateGate({
      baseline: run(1),
      current: run(2),
      thresholds: defaultThresholds(),
    });
    expect(small.verdict).toBe('inconclusive');
    const ttft = check(small, 'ttft.p95');
    expect(ttft.status).toBe('pass');
    expect(ttft.detectable?.blind).toBe(true);
    expect(ttft.detectable?.change).toBeGreaterThan(0.2);
    expect(reasons(small)).toContain(
      `TTFT p95 could only detect a change ≥ +${Math.round(ttft.detectable!.change * 100)}% at 500 requests against a threshold of ≤ +10%: a regression of that size would pass unseen; run-to-run drift (drift-floor) keeps this baseline from seeing less than ≥ +${Math.round(ttft.detectable!.floor! * 100)}% however many requests: rebuild it with more baseline-trials, raise the threshold to that, or compare with a reference deployment measured in the same time window.`,
    );
    const large = { requests: 1000 };
    const enough = evaluateGate({
      baseline: run(1, {}, { ...large, trials: 3 }),
      current: run(2, {}, large),
      thresholds: defaultThresholds(),
    });
    expect(enough.verdict).toBe('pass');
    const detectable = check(enough, 'ttft.p95').detectable!;
    expect(detectable.blind).toBe(false);
    expect(detectable.change).toBeLessThan(0.2);
    expect(detectable.change).toBeGreaterThan(0.1);
  });

  it('pools trials and shows them in the evidence', () => {
    const model = { trials: 3, driftSigma: 0.03 };
    const result = gate(run(5, {}, model), run(6, {}, model));
    expect(result.verdict).toBe('pass');
    expect(check(result, 'ttft.p95').evidence).toMatch(/n=1500\/1500, trials 3\/3$/);
  });
});

function withFailures(results: RunResults, failed: number): RunResults {
  const requests = results.summary.requests;
  return {
    ...results,
    summary: { ...results.summary, failed, errorRate: failed / requests },
  };
}

describe('statistics', () => {
  it("estimates a percentile's sampling error as identical runs show it, steadily", () => {
    const runs = Array.from({ length: 60 }, (_, seed) => run(100 + seed));
    const logs = runs.map((results) => Math.log(results.summary.distributions.ttft.p95Ms));
    const errors = runs.map((results) =>
      Math.sqrt(percentileLogVariance(bucketReader(results)('ttft'), 95)),
    );
    const mean = (values: number[]) =>
      values.reduce((sum, value) => sum + value, 0) / values.length;
    const center = mean(logs);
    const spread = Math.sqrt(mean(logs.map((value) => (value - center) ** 2)));
    const estimated = mean(errors);
    // Right on average (a little cautious), and the same within ±50% on every run.
    expect(estimated / spread).toBeGreaterThan(0.85);
    expect(estimated / spread).toBeLessThan(1.35);
    for (const error of errors) expect(Math.abs(error / estimated - 1)).toBeLessThan(0.5);
  });

  it('uses the drift floor unless trials show more spread', () => {
    const side = (trialValues: number[]) => ({
      value: 100,
      withinVariance: 0.0001,
      trials: trialValues.length,
      trialValues,
    });
    expect(driftVariance([side([100]), side([101])], 0.03)).toBeCloseTo(0.0009, 10);
    expect(driftVariance([side([100, 100.5, 99.5])], 0.03)).toBeCloseTo(0.0009, 10);
    const spread = driftVariance([side([90, 100, 110]), side([95, 105])], 0.03);
    expect(Math.sqrt(spread)).toBeGreaterThan(0.07);
  });

  it('has accurate normal and Fisher tails', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 5);
    // P(all 6 failures land in the current half) ≈ 0.5⁶; mid-p halves it.
    expect(fisherMidP(0, 500, 6, 500)).toBeCloseTo(0.0077, 4);
    expect(fisherMidP(0, 500, 0, 500)).toBe(0.5);
  });
});

describe('checkComparable', () => {
  const baseline = run(1);

  it('accepts runs of the same setup', () => {
    expect(checkComparable(baseline, run(2))).toEqual([]);
  });

  it('names each differing field with both values', () => {
    const current = run(2);
    current.key = { ...current.key, model: 'other-model', mixFingerprint: 'f00d', mixName: 'rag' };
    current.config = {
      ...current.config,
      concurrency: 16,
      requestRate: 5,
      extraBody: { ignore_eos: true },
    };
    expect(checkComparable(baseline, current)).toEqual([
      'model differs: baseline simulated-model, current other-model',
      'prompt mix differs (prompts, weights or max_tokens changed): baseline simulated simulated, current rag f00d',
      'concurrency differs: baseline 8, current 16',
      'load differs: baseline closed loop, current open loop at 5 req/s',
      'extra-body differs: baseline {}, current {"ignore_eos":true}',
    ]);
  });

  it('compares extra-body by content, not key order', () => {
    const before = run(1);
    const after = run(2);
    before.config = { ...before.config, extraBody: { a: 1, b: { c: 2, d: 3 } } };
    after.config = { ...after.config, extraBody: { b: { d: 3, c: 2 }, a: 1 } };
    expect(checkComparable(before, after)).toEqual([]);
  });
});

describe('open loop', () => {
  it('judges TTFT from the scheduled time by default, and either TTFT line replaces it', () => {
    expect(resolveThresholds('', { openLoop: true }).map((t) => t.metric)).toEqual([
      'ttft_from_schedule.p95',
      'output_tokens_per_second',
      'error_rate',
    ]);
    expect(resolveThresholds('ttft.p95: +20%', { openLoop: true }).map((t) => t.metric)).toEqual([
      'ttft.p95',
      'output_tokens_per_second',
      'error_rate',
    ]);
    expect(resolveThresholds('').map((t) => t.metric)[0]).toBe('ttft.p95');
  });
});
