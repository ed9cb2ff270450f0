import type { RunResults } from '../results/types.js';
import { fisherMidP, normalQuantile } from './distributions.js';
import { bucketReader, sideEvidence } from './evidence.js';
import { metricInfo } from '../metrics/catalogue.js';
import { compareOnLogScale, type SideEvidence } from './statistics.js';
import type { Detectability, Direction, Threshold } from './types.js';

/** The brief's bar: a regression of twice the threshold is caught ≥ 95 times in 100. */
export const DETECTION_POWER = 0.95;
/** A comparison that cannot see twice its threshold at that power is blind to what it guards. */
export const BLIND_FACTOR = 2;

/**
 * The smallest true worsening ln-ratio that the gate flags with DETECTION_POWER. The gate fails a
 * metric when the observed change is beyond the threshold AND significant at `alpha`, so the
 * observed change must clear the higher of the two bars; a normal L ~ N(Δ, se) clears it with
 * the wanted power when Δ = bar + z_power · se.
 */
export function detectableLogChange(
  standardError: number,
  thresholdLog: number,
  alpha: number,
): number {
  const bar = Math.max(thresholdLog, normalQuantile(1 - alpha) * standardError);
  return bar + normalQuantile(DETECTION_POWER) * standardError;
}

/** ln-ratio that a threshold allows, in the bad direction (positive). */
function allowedLogChange(threshold: Threshold, baseline: number): number {
  const worse = threshold.direction === 'higher-is-worse' ? 1 : -1;
  if (threshold.kind === 'relative') {
    return worse > 0 ? Math.log1p(threshold.value) : -Math.log1p(-Math.min(threshold.value, 0.999));
  }
  // An absolute change in the metric's unit, seen as a ratio at the baseline's value.
  const moved = baseline + worse * threshold.value;
  return moved > 0 ? Math.abs(Math.log(moved / baseline)) : Infinity;
}

/** Converts a bad-direction ln-ratio back into the threshold's terms. */
function inThresholdTerms(threshold: Threshold, baseline: number, logChange: number): number {
  const factor =
    threshold.direction === 'higher-is-worse' ? Math.exp(logChange) : Math.exp(-logChange);
  const relative = Math.abs(factor - 1);
  return threshold.kind === 'relative' ? relative : relative * baseline;
}

/** What a log-scale comparison with this standard error could detect against this threshold. */
export function logScaleDetectability(
  threshold: Threshold,
  baseline: number,
  standardError: number,
  alpha: number,
): Detectability {
  const allowed = allowedLogChange(threshold, baseline);
  const logChange = detectableLogChange(standardError, allowed, alpha);
  const change = inThresholdTerms(threshold, baseline, logChange);
  return { change, blind: change > BLIND_FACTOR * threshold.value };
}

/**
 * Error rates (an absolute change in a fraction): the smallest failure count of the current run
 * that the gate fails (beyond the threshold and significant in the same Fisher test, with the
 * baseline as observed), then the true rate that reaches it with DETECTION_POWER (a normal
 * approximation of the binomial, continuity-corrected).
 */
export function errorRateDetectability(
  threshold: Threshold,
  baseline: { failed: number; requests: number },
  current: { requests: number },
  alpha: number,
): Detectability {
  const nb = Math.max(1, baseline.requests);
  const nc = Math.max(1, current.requests);
  const base = baseline.failed / nb;
  let failing = Math.max(0, Math.floor((base + threshold.value) * nc));
  while (
    failing <= nc &&
    !(failing / nc - base > threshold.value && fisherMidP(baseline.failed, nb, failing, nc) < alpha)
  ) {
    failing++;
  }
  if (failing > nc) return { change: 1 - base, blind: true };
  const zPower = normalQuantile(DETECTION_POWER);
  const reaches = (rate: number) =>
    nc * rate - zPower * Math.sqrt(nc * rate * (1 - rate)) >= failing - 0.5;
  let low = failing / nc;
  let high = 1;
  for (let step = 0; step < 60; step++) {
    const middle = (low + high) / 2;
    if (reaches(middle)) high = middle;
    else low = middle;
  }
  const change = high - base;
  return { change, blind: change > BLIND_FACTOR * threshold.value };
}

/** One trial of a run like `side`: what a future single run of the same size would show. */
function asSingleRun(side: SideEvidence): SideEvidence {
  return {
    value: side.value,
    withinVariance: side.withinVariance * side.trials,
    trials: 1,
    trialValues: [],
  };
}

export interface BaselineDetectability {
  threshold: Threshold;
  /** Undefined when the baseline cannot show it (metric not measured or 0). */
  detectable?: Detectability;
}

/**
 * What a baseline lets the gate detect: the comparison of the baseline with a future run of one
 * trial of the same size, at the gate's per-metric α. Limits are not tests of change: skipped.
 */
export function baselineDetectability(
  baseline: RunResults,
  thresholds: readonly Threshold[],
  options: { alpha: number; driftSigma: number },
): BaselineDetectability[] {
  const tested = thresholds.filter((threshold) => threshold.kind !== 'limit');
  const metricAlpha = options.alpha / Math.max(1, tested.length);
  const buckets = bucketReader(baseline);
  return tested.map((threshold) => {
    const info = metricInfo(threshold.metric);
    if (!info) return { threshold };
    if (info.kind === 'error-rate') {
      const summary = baseline.summary;
      const perRun = Math.max(
        1,
        Math.round(summary.requests / Math.max(1, baseline.trials.length)),
      );
      return {
        threshold,
        detectable: errorRateDetectability(threshold, summary, { requests: perRun }, metricAlpha),
      };
    }
    const side = sideEvidence(baseline, info, buckets);
    if (!side) return { threshold };
    const direction: Direction = info.direction;
    const comparison = compareOnLogScale(side, asSingleRun(side), direction, options.driftSigma);
    return {
      threshold,
      detectable: logScaleDetectability(
        threshold,
        side.value,
        comparison.standardError,
        metricAlpha,
      ),
    };
  });
}
