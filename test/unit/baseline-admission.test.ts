import { describe, expect, it } from 'vitest';
import { admitBaseline, admitCacheRun } from '../../src/baseline/admission.js';
import { parseConfig } from '../../src/config/parse.js';
import { trialFiguresOf } from '../../src/metrics/catalogue.js';
import { defaultThresholds } from '../../src/gate/thresholds.js';
import type { Verdict } from '../../src/domain/judgement.js';
import type { RunResults } from '../../src/domain/results.js';
import { buildResults } from '../helpers/results-fixture.js';

const rules = { maxErrorRate: 0.05, thresholds: [], acceptNoisy: false };
const admissionRefusal = (results: RunResults, given = rules) =>
  admitBaseline(results, given).refusal;

/** A healthy run with three trials, one of which may fail more than the others. */
function withTrials(results: RunResults, trialErrorRates: number[]): RunResults {
  const base = trialFiguresOf(results.summary);
  return {
    ...results,
    trials: trialErrorRates.map((errorRate) => ({
      ...base,
      errorRate,
      failed: Math.round(errorRate * base.requests),
    })),
  };
}

describe('baseline admission', () => {
  it('admits a healthy run with few errors', () => {
    expect(admissionRefusal(buildResults({ failedPerClass: 5 }), rules)).toBeUndefined();
  });

  it('refuses a run where every request failed', () => {
    const results = buildResults({ failedPerClass: 250, errorClass: 'http_5xx' });
    expect(admissionRefusal(results, rules)).toMatch(/no measured request succeeded \(500 of 500/);
  });

  it('refuses an error rate above baseline-max-error-rate, naming both', () => {
    const results = buildResults({ failedPerClass: 50 });
    expect(admissionRefusal(results, rules)).toBe(
      'error rate 20.0% (100 of 500 failed) is above baseline-max-error-rate 5.0%',
    );
    expect(admissionRefusal(results, { ...rules, maxErrorRate: 0.25 })).toBeUndefined();
  });

  it('refuses when one trial alone is above the ceiling', () => {
    const results = withTrials(buildResults(), [0, 0.12, 0]);
    expect(admissionRefusal(results, rules)).toMatch(/^trial 2 of 3 had error rate 12\.0%/);
  });

  it.each([
    ['unhealthy', { health: { status: 'unhealthy', reason: 'every request failed' } }, /unhealthy/],
    ['cancelled', { health: { status: 'cancelled' } }, /cancelled/],
    ['partial', { partial: true }, /stopped early/],
  ] as const)('refuses a %s run with the shared reason', (_name, change, message) => {
    const results = { ...buildResults(), ...change } as RunResults;
    expect(admissionRefusal(results, rules)).toMatch(message);
  });

  it('refuses a client-bound run', () => {
    const results = buildResults();
    const saturated = {
      ...results,
      selfCheck: { ...results.selfCheck, saturated: true, reasons: ['event loop 97% busy'] },
    };
    expect(admissionRefusal(saturated, rules)).toMatch(/bottleneck \(event loop 97% busy\)/);
  });

  it('cache runs: a regressed or unjudged run is never kept', () => {
    const results = buildResults();
    const refusal = (run: RunResults, verdict: Verdict) =>
      admitCacheRun(run, verdict, rules).refusal;
    expect(refusal(results, 'pass')).toBeUndefined();
    expect(refusal(results, 'no-baseline')).toBeUndefined();
    expect(refusal(results, 'regression')).toBe("the gate's verdict was regression");
    expect(refusal(results, 'inconclusive')).toMatch(/inconclusive/);
    expect(refusal(buildResults({ failedPerClass: 50 }), 'pass')).toMatch(
      /above baseline-max-error-rate/,
    );
  });

  it('refuses trials that drift apart (the issue: 207–273 tok/s, 89–147 ms TTFT p95)', () => {
    const results = buildResults({ requestsPerClass: 1500 });
    const base = trialFiguresOf(results.summary);
    const spread = [
      { ttftP95Ms: 89, outputTokensPerSecond: 273 },
      { ttftP95Ms: 118, outputTokensPerSecond: 241 },
      { ttftP95Ms: 147, outputTokensPerSecond: 207 },
    ].map((figures) => ({ ...base, ...figures }));
    const admission = admitBaseline(
      { ...results, trials: spread },
      { ...rules, thresholds: defaultThresholds() },
    );
    expect(admission.refusal).toMatch(/^it is too noisy to gate with: the gate could only detect /);
    expect(admission.refusal).toMatch(/TTFT p95 ≥ \+\d{2,}%/);
    expect(admission.refusal).toMatch(/Output tokens\/s ≤ −\d{2,}%/);
  });

  it('reports what the baseline can detect and refuses one blind to twice a threshold', () => {
    const thresholds = defaultThresholds();
    // 500 requests in one trial: TTFT p95 can only be seen at +25%, not at twice 10%.
    const small = buildResults();
    const noisy = admitBaseline(small, { ...rules, thresholds });
    expect(noisy.detects).toHaveLength(3);
    expect(noisy.detects[0]).toMatch(
      /^TTFT p95 ≥ \+\d+% \(never below ≥ \+\d+%; threshold ≤ \+10%\)$/,
    );
    expect(noisy.refusal).toMatch(
      /^it is too noisy to gate with: the gate could only detect .*TTFT p95 ≥ \+\d+%.*, more than twice the threshold; raise requests or baseline-trials, or set accept-noisy-baseline: true$/,
    );
    expect(
      admitBaseline(small, { ...rules, thresholds, acceptNoisy: true }).refusal,
    ).toBeUndefined();

    // The default update-baseline, 3 trials of 1000 requests: every default threshold is visible
    // at twice its size.
    const large = buildResults({ requestsPerClass: 1500 });
    const admitted = admitBaseline(
      { ...large, trials: [1, 2, 3].map(() => trialFiguresOf(large.summary)) },
      { ...rules, thresholds },
    );
    expect(admitted.refusal).toBeUndefined();
    expect(admitted.detects).toHaveLength(3);
  });
});

describe('baseline inputs', () => {
  const base: Record<string, string> = { endpoint: 'http://127.0.0.1:1/v1', model: 'm' };
  const parse = (inputs: Record<string, string>) =>
    parseConfig((name) => ({ ...base, ...inputs })[name]);

  it('reads the error-rate ceiling as a fraction or a percentage', () => {
    expect(parse({}).baselineMaxErrorRate).toBe(0.05);
    expect(parse({ 'baseline-max-error-rate': '1%' }).baselineMaxErrorRate).toBe(0.01);
    expect(() => parse({ 'baseline-max-error-rate': '5' })).toThrow(
      /^baseline-max-error-rate must be a fraction from 0 to 1 \(e\.g\. 0\.05 or 5%\), got "5"$/,
    );
  });

  it('baseline-ref is for files, not the cache', () => {
    expect(parse({ 'baseline-ref': 'origin/main' }).baselineRef).toBe('origin/main');
    expect(() => parse({ 'baseline-ref': 'origin/main', 'baseline-source': 'cache' })).toThrow(
      /^baseline-ref reads baseline files from git; it does not apply to baseline-source: cache$/,
    );
  });
});
