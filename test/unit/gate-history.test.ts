import { describe, expect, it } from 'vitest';
import { historyRunOf } from '../../src/baseline/history.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import { simulateRun, type NoiseModel } from '../../bench/gate-sim/simulate.js';
import { driftVariance } from '../../src/gate/statistics.js';
import { defaultThresholds } from '../../src/gate/thresholds.js';
import type { MetricCheck } from '../../src/domain/judgement.js';
import { createRandom } from '../../src/random.js';
import type { HistoryRun, RunResults } from '../../src/domain/results.js';

/**
 * History feeds the drift estimate: runs of the baseline's key on different days show how much a
 * whole run varies, which trials back to back (or the floor) understate.
 */
const MODEL: NoiseModel = {
  requests: 1000,
  trials: 3,
  withinSigma: 0.25,
  driftSigma: 0,
  errorRate: 0,
};

function simulated(seed: number, ttftFactor = 1): RunResults {
  return simulateRun(MODEL, createRandom(seed), {
    ttftFactor,
    tokensPerSecondFactor: 1,
    errorRateDelta: 0,
  });
}

/** Earlier runs whose TTFT p95 and tokens/s spread by `factors` (one run per factor). */
function historyAround(baseline: RunResults, factors: number[]): HistoryRun[] {
  const latest = historyRunOf(baseline);
  return factors.map((factor, index) => ({
    ...latest,
    date: `2026-11-${String(10 + index).padStart(2, '0')}T10:00:00.000Z`,
    figures: {
      ...latest.figures,
      ttftP95Ms: latest.figures.ttftP95Ms * factor,
      outputTokensPerSecond: latest.figures.outputTokensPerSecond / factor,
    },
  }));
}

function ttftCheck(baseline: RunResults, current: RunResults): MetricCheck {
  const result = evaluateGate({ baseline, current, thresholds: defaultThresholds() });
  const found = result.checks.find((check) => check.metric === 'ttft.p95' && check.threshold);
  if (!found) throw new Error('no gated TTFT p95 check');
  return found;
}

describe('baseline history in the drift estimate', () => {
  it('a change that trials call a regression is noise when past runs drifted as much', () => {
    const baseline = simulated(1);
    const current = simulated(2, 1.16);
    expect(ttftCheck(baseline, current).status).toBe('regression');

    const drifting = { ...baseline, history: historyAround(baseline, [0.85, 1.15, 0.9, 1.12, 1]) };
    expect(ttftCheck(drifting, current).status).toBe('noise');
  });

  it('a steady history changes nothing', () => {
    const baseline = simulated(1);
    const current = simulated(2, 1.16);
    const steady = { ...baseline, history: historyAround(baseline, [1, 1.005, 0.995, 1, 1]) };
    expect(ttftCheck(steady, current).status).toBe('regression');
  });

  it('history runs are one more group in the pooled estimate, with their own within-variance', () => {
    const side = {
      value: 100,
      withinVariance: 0.0001,
      trials: 1,
      trialValues: [100],
      runValues: [80, 100, 120],
      runWithinVariance: 0.0001,
    };
    const sigma = Math.sqrt(driftVariance([side], 0.03));
    expect(sigma).toBeGreaterThan(0.15);
    expect(driftVariance([{ ...side, runValues: [100, 100, 100] }], 0.03)).toBeCloseTo(0.0009, 10);
  });
});
