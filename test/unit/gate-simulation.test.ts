import { describe, expect, it } from 'vitest';
import { measureGate } from '../../bench/gate-sim/calibration.js';
import { simulateRun, type NoiseModel } from '../../bench/gate-sim/simulate.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import { defaultThresholds } from '../../src/gate/thresholds.js';
import { createRandom } from '../../src/random.js';

/**
 * The gate's promise, on seeded simulated runs (bench/gate.ts measures the whole grid with 500
 * accepted baselines per cell): identical runs almost never fail (≤ 1 in 100, regression or
 * inconclusive, all default metrics together), a regression of twice each default threshold is
 * almost always caught (≥ 95 in 100), and measuring until decided stops early.
 */
describe('gate on simulated runs', () => {
  it('measuring until decided keeps the bar and stops early (1000 requests, σ 0.25)', () => {
    const rates = measureGate({
      model: { requests: 1000, trials: 3, withinSigma: 0.25, driftSigma: 0, errorRate: 0 },
      currentTrials: 1,
      sequential: true,
      pairs: 40,
      seed: 1,
    });
    expect(rates.falseAlarms + rates.inconclusive).toBeLessThanOrEqual(1);
    expect(rates.detections.ttft20).toBeGreaterThanOrEqual(38);
    expect(rates.detections.tokensPerSecond20).toBeGreaterThanOrEqual(38);
    expect(rates.detections.errors2pp).toBeGreaterThanOrEqual(38);
    // Identical runs and clear regressions are decided before the budget.
    expect(rates.medianRequests.same).toBeLessThan(1000);
    expect(rates.medianRequests.ttft30).toBeLessThanOrEqual(400);
  });

  it('cannot tell drift 0.05 from a regression with single runs against the floor of 0.03', () => {
    const rates = measureGate({
      model: { requests: 1000, trials: 3, withinSigma: 0.25, driftSigma: 0.05, errorRate: 0 },
      currentTrials: 1,
      pairs: 150,
      seed: 3,
    });
    expect(rates.falseAlarms).toBeGreaterThan(1);
  });
});

describe('what a stored baseline can see', () => {
  const model: NoiseModel = {
    requests: 1000,
    trials: 3,
    withinSigma: 0.25,
    driftSigma: 0.03,
    errorRate: 0,
  };
  const thresholds = defaultThresholds();
  const ttft = (baselineSeed: number, currentSeed: number) => {
    const baseline = simulateRun(model, createRandom(baselineSeed));
    const current = simulateRun({ ...model, trials: 1 }, createRandom(currentSeed));
    const check = evaluateGate({ baseline, current, thresholds }).checks.find(
      (entry) => entry.metric === 'ttft.p95' && entry.threshold,
    );
    return check!.detectable!;
  };

  it('is a property of the baseline and the budget, the same on every run of the setup', () => {
    for (const baselineSeed of [11, 12, 13]) {
      const seen = Array.from({ length: 8 }, (_, run) => ttft(baselineSeed, 100 + run));
      expect(new Set(seen.map((detectable) => detectable.change)).size).toBe(1);
      expect(new Set(seen.map((detectable) => detectable.blind)).size).toBe(1);
      expect(seen[0]!.requests).toBe(1000);
    }
  });

  it('never goes below the drift floor, however many requests: above the 10% threshold', () => {
    const detectable = ttft(11, 100);
    // (z at the last look + z at 95% power) × 0.03·√(1/3 + 1): about +15%.
    expect(detectable.floor).toBeGreaterThan(0.13);
    expect(detectable.floor).toBeLessThan(detectable.change);
  });
});
