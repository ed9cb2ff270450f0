import { admitBaseline } from '../../src/baseline/admission.js';
import { createRandom, type Random } from '../../src/random.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import { lookSchedule } from '../../src/gate/sequential.js';
import { simulateLooks, simulateRun, type NoiseModel, type SimulatedChange } from './simulate.js';
import { defaultThresholds } from '../../src/gate/thresholds.js';
import type { GateResult } from '../../src/domain/judgement.js';
import type { RunResults } from '../../src/domain/results.js';

const change = (overrides: Partial<SimulatedChange>): SimulatedChange => ({
  ttftFactor: 1,
  tokensPerSecondFactor: 1,
  errorRateDelta: 0,
  ...overrides,
});

/**
 * The runs each pair compares with its baseline. Twice each default threshold is what the gate
 * must catch ≥ 95 times in 100; +10% (the threshold itself) and +30% show the curve around it.
 * Each change is a run of its own, so that one metric's early stop does not cut another short.
 */
const CHANGES = {
  same: change({}),
  ttft10: change({ ttftFactor: 1.1 }),
  ttft20: change({ ttftFactor: 1.2 }),
  ttft30: change({ ttftFactor: 1.3 }),
  tokensPerSecond20: change({ tokensPerSecondFactor: 0.8 }),
  errors2pp: change({ errorRateDelta: 0.02 }),
} as const;

export type ChangeName = keyof typeof CHANGES;

/** The metric each change moves, and so must be flagged on. */
const MOVED: Record<Exclude<ChangeName, 'same'>, string> = {
  ttft10: 'ttft.p95',
  ttft20: 'ttft.p95',
  ttft30: 'ttft.p95',
  tokensPerSecond20: 'output_tokens_per_second',
  errors2pp: 'error_rate',
};

export interface PerMetric {
  ttft: number;
  tokensPerSecond: number;
  errorRate: number;
}

/** Counts over `pairs` simulated comparisons with the default thresholds. */
export interface GateRates {
  pairs: number;
  /** Baselines accepted and compared with: `pairs`, unless the refusals ran out the attempts. */
  accepted: number;
  /**
   * Baselines that update-baseline refused as too noisy (their design could not see twice a
   * threshold) before `pairs` were accepted: a release run that needs a retry.
   */
  refusedBaselines: number;
  /** Identical pairs whose verdict was regression (any metric). */
  falseAlarms: number;
  /** Identical pairs whose verdict was inconclusive: they fail the build too. */
  inconclusive: number;
  falseAlarmsByMetric: PerMetric;
  /** Changed pairs flagged as a regression on the metric the change moved. */
  detections: Record<Exclude<ChangeName, 'same'>, number>;
  /** Median measured requests of the current run until its verdict, per change. */
  medianRequests: Record<ChangeName, number>;
}

export interface Calibration {
  /** The baseline's noise model (its `trials` are the baseline's; `requests` the budget). */
  model: NoiseModel;
  /** Trials of the current run; the baseline's when absent. */
  currentTrials?: number;
  /** Measure until decided (one trial) instead of always sending the whole budget. */
  sequential?: boolean;
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/**
 * Runs the gate on simulated pairs: per pair one baseline and one current run per change, judged
 * as the action judges them (sequential: looked at after each block, stopped once decided, then
 * judged as it stands). Seeded: the same calibration gives the same counts.
 */
export function measureGate(calibration: Calibration): GateRates {
  const { model, pairs } = calibration;
  const currentModel = { ...model, trials: calibration.currentTrials ?? model.trials };
  const thresholds = defaultThresholds();
  const options = { alpha: calibration.alpha, driftSigma: calibration.driftSigma, thresholds };
  const looks = lookSchedule(model.requests);

  /** The verdict on one current run and how many requests it took. */
  const judge = (
    baseline: RunResults,
    stream: Random,
    moved: SimulatedChange,
  ): { result: GateResult; requests: number } => {
    if (!calibration.sequential) {
      const current = simulateRun(currentModel, stream, moved);
      return {
        result: evaluateGate({ ...options, baseline, current }),
        requests: current.summary.requests,
      };
    }
    const atLooks = simulateLooks(currentModel, stream, looks, moved);
    for (const [look, current] of atLooks.entries()) {
      const last = look === atLooks.length - 1;
      if (last || evaluateGate({ ...options, baseline, current, look }).decided) {
        return { result: evaluateGate({ ...options, baseline, current }), requests: looks[look]! };
      }
    }
    throw new Error('unreachable: the last look always decides');
  };

  const rates: GateRates = {
    pairs,
    accepted: 0,
    refusedBaselines: 0,
    falseAlarms: 0,
    inconclusive: 0,
    falseAlarmsByMetric: { ttft: 0, tokensPerSecond: 0, errorRate: 0 },
    detections: { ttft10: 0, ttft20: 0, ttft30: 0, tokensPerSecond20: 0, errors2pp: 0 },
    medianRequests: {
      same: 0,
      ttft10: 0,
      ttft20: 0,
      ttft30: 0,
      tokensPerSecond20: 0,
      errors2pp: 0,
    },
  };
  const requests = Object.fromEntries(
    Object.keys(CHANGES).map((name) => [name, [] as number[]]),
  ) as Record<ChangeName, number[]>;
  const random = createRandom(calibration.seed);
  const rules = {
    maxErrorRate: 0.05,
    thresholds,
    acceptNoisy: false,
    ...(calibration.driftSigma !== undefined ? { driftFloor: calibration.driftSigma } : {}),
  };
  for (let pair = 0, attempt = 0; pair < pairs; attempt++) {
    const stream = random.fork(attempt);
    const baseline = simulateRun(model, stream.fork('baseline'));
    // As in the product: only a baseline update-baseline accepts is ever compared with.
    if (admitBaseline(baseline, rules).refusal) {
      rates.refusedBaselines++;
      if (rates.refusedBaselines > 10 * pairs) break;
      continue;
    }
    pair++;
    rates.accepted = pair;
    for (const [name, moved] of Object.entries(CHANGES) as Array<[ChangeName, SimulatedChange]>) {
      const { result, requests: used } = judge(baseline, stream.fork(name), moved);
      requests[name].push(used);
      if (name === 'same') {
        if (result.verdict === 'regression') rates.falseAlarms++;
        if (result.verdict === 'inconclusive') rates.inconclusive++;
        for (const key of Object.keys(METRICS) as Array<keyof PerMetric>) {
          if (regressed(result, METRICS[key])) rates.falseAlarmsByMetric[key]++;
        }
      } else if (regressed(result, MOVED[name])) {
        rates.detections[name]++;
      }
    }
  }
  for (const name of Object.keys(CHANGES) as ChangeName[]) {
    rates.medianRequests[name] = median(requests[name]);
  }
  return rates;
}
