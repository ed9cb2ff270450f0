import { createRandom } from '../../src/random.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import { simulateRun, type NoiseModel, type SimulatedChange } from './simulate.js';
import { defaultThresholds } from '../../src/gate/thresholds.js';
import type { GateResult } from '../../src/gate/types.js';

/** Twice each default threshold: what the gate must catch ≥ 95 times in 100. */
const LATENCY_REGRESSION: SimulatedChange = {
  ttftFactor: 1.2,
  tokensPerSecondFactor: 0.8,
  errorRateDelta: 0,
};
const ERROR_REGRESSION: SimulatedChange = {
  ttftFactor: 1,
  tokensPerSecondFactor: 1,
  errorRateDelta: 0.02,
};

export interface PerMetric {
  ttft: number;
  tokensPerSecond: number;
  errorRate: number;
}

/** Counts over `pairs` simulated comparisons with the default thresholds. */
export interface GateRates {
  pairs: number;
  /** A/A pairs whose verdict was regression (any metric). */
  falseAlarms: number;
  falseAlarmsByMetric: PerMetric;
  /** Regressed pairs caught, per metric (each judged on its own regression). */
  detections: PerMetric;
}

export interface Calibration {
  /** The baseline's noise model (its `trials` are the baseline's). */
  model: NoiseModel;
  /** Trials of the current run; the baseline's when absent. */
  currentTrials?: number;
  pairs: number;
  seed: number;
  alpha?: number;
  driftSigma?: number;
}

const METRICS: Record<keyof PerMetric, string> = {
  ttft: 'ttft.p95',
  tokensPerSecond: 'output_tokens_per_second',
  errorRate: 'error_rate',
};

function regressed(result: GateResult, metric: string): boolean {
  return result.checks.some((check) => check.metric === metric && check.status === 'regression');
}

/**
 * Runs the gate on simulated pairs: per pair one baseline, one A/A current run, one with TTFT
 * +20% and tokens/s −20%, and one with +2 pp errors (errors are a run of their own because they
 * also thin the latency samples). Seeded: the same calibration gives the same counts.
 */
export function measureGate(calibration: Calibration): GateRates {
  const { model, pairs } = calibration;
  const currentModel = { ...model, trials: calibration.currentTrials ?? model.trials };
  const thresholds = defaultThresholds();
  const gate = (baseline: ReturnType<typeof simulateRun>, current: typeof baseline) =>
    evaluateGate({
      baseline,
      current,
      thresholds,
      alpha: calibration.alpha,
      driftSigma: calibration.driftSigma,
    });
  const rates: GateRates = {
    pairs,
    falseAlarms: 0,
    falseAlarmsByMetric: { ttft: 0, tokensPerSecond: 0, errorRate: 0 },
    detections: { ttft: 0, tokensPerSecond: 0, errorRate: 0 },
  };
  const random = createRandom(calibration.seed);
  for (let pair = 0; pair < pairs; pair++) {
    const stream = random.fork(pair);
    const baseline = simulateRun(model, stream.fork('baseline'));
    const same = gate(baseline, simulateRun(currentModel, stream.fork('a/a')));
    const slower = gate(
      baseline,
      simulateRun(currentModel, stream.fork('latency'), LATENCY_REGRESSION),
    );
    const failing = gate(
      baseline,
      simulateRun(currentModel, stream.fork('errors'), ERROR_REGRESSION),
    );
    if (same.verdict === 'regression') rates.falseAlarms++;
    for (const key of Object.keys(METRICS) as Array<keyof PerMetric>) {
      if (regressed(same, METRICS[key])) rates.falseAlarmsByMetric[key]++;
    }
    if (regressed(slower, METRICS.ttft)) rates.detections.ttft++;
    if (regressed(slower, METRICS.tokensPerSecond)) rates.detections.tokensPerSecond++;
    if (regressed(failing, METRICS.errorRate)) rates.detections.errorRate++;
  }
  return rates;
}
