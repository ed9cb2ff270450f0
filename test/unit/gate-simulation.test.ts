import { describe, expect, it } from 'vitest';
import { measureGate } from '../../bench/gate-sim/calibration.js';

/**
 * The gate's promise, on seeded simulated runs (bench/gate.ts measures the whole grid with 1000
 * pairs per cell): identical runs almost never fail (≤ 1 in 100, all default metrics together)
 * and a regression of twice each default threshold is almost always caught (≥ 95 in 100).
 */
describe('gate on simulated runs', () => {
  it('meets the bar at the recommended 1000 requests, σ 0.25, no drift, single runs', () => {
    const rates = measureGate({
      model: { requests: 1000, trials: 1, withinSigma: 0.25, driftSigma: 0, errorRate: 0 },
      pairs: 200,
      seed: 1,
    });
    expect(rates.falseAlarms).toBeLessThanOrEqual(2);
    expect(rates.detections.ttft).toBeGreaterThanOrEqual(190);
    expect(rates.detections.tokensPerSecond).toBeGreaterThanOrEqual(190);
    expect(rates.detections.errorRate).toBeGreaterThanOrEqual(190);
  });

  it('meets the bar under drift 0.03 with 3 trials on each side (500 requests each)', () => {
    const rates = measureGate({
      model: { requests: 500, trials: 3, withinSigma: 0.25, driftSigma: 0.03, errorRate: 0 },
      pairs: 100,
      seed: 2,
    });
    expect(rates.falseAlarms).toBeLessThanOrEqual(1);
    expect(rates.detections.ttft).toBeGreaterThanOrEqual(95);
    expect(rates.detections.tokensPerSecond).toBeGreaterThanOrEqual(95);
    expect(rates.detections.errorRate).toBeGreaterThanOrEqual(95);
  });

  it('cannot tell drift 0.05 from a regression with single runs (why trials exist)', () => {
    const rates = measureGate({
      model: { requests: 1000, trials: 1, withinSigma: 0.25, driftSigma: 0.05, errorRate: 0 },
      pairs: 200,
      seed: 3,
    });
    expect(rates.falseAlarms).toBeGreaterThan(2);
  });
});
