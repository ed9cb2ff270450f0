import { describe, expect, it } from 'vitest';
import { admissionRefusal, cacheTrialRefusal } from '../../src/baseline/admission.js';
import { parseConfig } from '../../src/config/parse.js';
import { trialFiguresOf } from '../../src/metrics/recorder.js';
import type { RunResults } from '../../src/results/types.js';
import { buildResults } from '../helpers/results-fixture.js';

const rules = { maxErrorRate: 0.05 };

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
    expect(admissionRefusal(results, { maxErrorRate: 0.25 })).toBeUndefined();
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

  it('cache trials: a regressed or unjudged run is never kept', () => {
    const results = buildResults();
    expect(cacheTrialRefusal(results, 'pass', rules)).toBeUndefined();
    expect(cacheTrialRefusal(results, 'no-baseline', rules)).toBeUndefined();
    expect(cacheTrialRefusal(results, 'regression', rules)).toBe(
      "the gate's verdict was regression",
    );
    expect(cacheTrialRefusal(results, 'inconclusive', rules)).toMatch(/inconclusive/);
    expect(cacheTrialRefusal(buildResults({ failedPerClass: 50 }), 'pass', rules)).toMatch(
      /above baseline-max-error-rate/,
    );
  });
});

describe('baseline inputs', () => {
  const base = { endpoint: 'http://127.0.0.1:1/v1', model: 'm' };
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
