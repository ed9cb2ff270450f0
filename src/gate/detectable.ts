import type { RunResults, RunSummary } from '../domain/results.js';
import { fisherMidP, normalCdf, normalQuantile } from './distributions.js';
import { bucketReader, sideEvidence } from './evidence.js';
import { upperBoundaries } from './group-sequential.js';
import { metricInfo } from '../metrics/catalogue.js';
import { lookSchedule } from './sequential.js';
import { driftVariance, type SideEvidence } from './statistics.js';
import type { Detectability, Threshold } from '../domain/judgement.js';

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
function detectableLogChange(standardError: number, thresholdLog: number, alpha: number): number {
  const bar = Math.max(thresholdLog, normalQuantile(1 - alpha) * standardError);
  return bar + normalQuantile(DETECTION_POWER) * standardError;
}

/** ln-ratio that a threshold allows, in the bad direction (positive). */
export function allowedLogChange(threshold: Threshold, baseline: number): number {
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
function logScaleDetectability(
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
function errorRateDetectability(
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

/**
 * What a comparison with this baseline is designed to see, before a single request of the run:
 * the looks' boundaries and the smallest change caught 95 times in 100 at the budget. The run's
 * own sampling noise is predicted from the baseline's (the same plan, scaled by requests), so the
 * figure, and whether the comparison is blind, is the same on every run of this setup.
 */
export interface LogScaleDesign {
  /** Upper boundaries on the z scale, one per look. */
  boundaries: number[];
  /** The per-metric α left for the last look, as a one-sided nominal level. */
  finalAlpha: number;
  /** The standard error of ln(current/baseline) a run of this many requests should show. */
  standardErrorAt: (requests: number) => number;
  detectable: Detectability;
}

export function logScaleDesign(design: {
  baseline: SideEvidence;
  /** Requests behind the baseline's figure (all its trials). */
  baselineRequests: number;
  /** Measured-request counts at which the gate looks; the last is the budget. */
  looks: readonly number[];
  currentTrials: number;
  threshold: Threshold;
  alpha: number;
  driftFloor: number;
}): LogScaleDesign {
  const { baseline, looks, threshold } = design;
  const drift =
    driftVariance([baseline], design.driftFloor) * (1 / baseline.trials + 1 / design.currentTrials);
  const perRequest = baseline.withinVariance * Math.max(1, design.baselineRequests);
  const variance = (requests: number) =>
    baseline.withinVariance + perRequest / Math.max(1, requests) + drift;
  const boundaries = upperBoundaries(
    looks.map((requests) => 1 / variance(requests)),
    design.alpha,
  );
  const finalAlpha = 1 - normalCdf(boundaries[boundaries.length - 1] ?? Infinity);
  const budget = looks[looks.length - 1] ?? 1;
  const atBudget = logScaleDetectability(
    threshold,
    baseline.value,
    Math.sqrt(variance(budget)),
    finalAlpha,
  );
  // Infinitely many requests on both sides leave the drift: a stored baseline's limit.
  const floor = logScaleDetectability(
    threshold,
    baseline.value,
    Math.sqrt(drift),
    finalAlpha,
  ).change;
  return {
    boundaries,
    finalAlpha,
    standardErrorAt: (requests) => Math.sqrt(variance(requests)),
    detectable: { ...atBudget, requests: budget, floor },
  };
}

/**
 * Paired A/B (src/gate/paired.ts): the variance of ln(candidate / reference) is the pairs'
 * variance per pair over the pairs, with no drift left to floor it, since both sides were
 * measured in the same window. Estimated on this run's pairs, so the figure is this run's.
 */
export function pairedDesign(design: {
  referenceValue: number;
  variancePerPair: number;
  looks: readonly number[];
  threshold: Threshold;
  alpha: number;
}): LogScaleDesign {
  const { looks, threshold, variancePerPair } = design;
  const variance = (pairs: number) => variancePerPair / Math.max(1, pairs);
  // The information grows with the pairs: no drift term caps it.
  const boundaries = upperBoundaries(looks, design.alpha);
  const finalAlpha = 1 - normalCdf(boundaries[boundaries.length - 1] ?? Infinity);
  const budget = looks[looks.length - 1] ?? 1;
  const atBudget = logScaleDetectability(
    threshold,
    design.referenceValue,
    Math.sqrt(variance(budget)),
    finalAlpha,
  );
  return {
    boundaries,
    finalAlpha,
    standardErrorAt: (pairs) => Math.sqrt(variance(pairs)),
    detectable: { ...atBudget, requests: budget, paired: true },
  };
}

/**
 * Error rates: the failure counts are binomial, with no drift, so the information grows with the
 * requests; each look's boundary becomes a nominal level for the Fisher test.
 */
export function errorRateDesign(design: {
  baseline: Pick<RunSummary, 'failed' | 'requests'>;
  looks: readonly number[];
  threshold: Threshold;
  alpha: number;
}): { nominalAlphas: number[]; finalAlpha: number; detectable?: Detectability } {
  const nominalAlphas = upperBoundaries(design.looks, design.alpha).map(
    (boundary) => 1 - normalCdf(boundary),
  );
  const finalAlpha = nominalAlphas[nominalAlphas.length - 1] ?? 0;
  const budget = design.looks[design.looks.length - 1] ?? 1;
  return {
    nominalAlphas,
    finalAlpha,
    ...(design.threshold.kind === 'absolute-change'
      ? {
          detectable: {
            ...errorRateDetectability(
              design.threshold,
              design.baseline,
              { requests: budget },
              finalAlpha,
            ),
            requests: budget,
          },
        }
      : {}),
  };
}

export interface BaselineDetectability {
  threshold: Threshold;
  /** Undefined when the baseline cannot show it (metric not measured or 0). */
  detectable?: Detectability;
}

/**
 * What a baseline lets the gate detect: its design against a future run of one trial of the same
 * budget, looked at as a gate run would look (measure until decided, unless the baseline's
 * settings turned it off), at the gate's per-metric α. Limits are not tests of change: skipped.
 */
export function baselineDetectability(
  baseline: RunResults,
  thresholds: readonly Threshold[],
  options: { alpha: number; driftSigma: number },
): BaselineDetectability[] {
  const tested = thresholds.filter((threshold) => threshold.kind !== 'limit');
  const alpha = options.alpha / Math.max(1, tested.length);
  const buckets = bucketReader(baseline);
  const summary = baseline.summary;
  const perTrial = Math.max(1, Math.round(summary.requests / Math.max(1, baseline.trials.length)));
  const looks = baseline.config.stopWhenDecided === false ? [perTrial] : lookSchedule(perTrial);
  return tested.map((threshold) => {
    const info = metricInfo(threshold.metric);
    if (!info) return { threshold };
    if (info.kind === 'error-rate') {
      const { detectable } = errorRateDesign({ baseline: summary, looks, threshold, alpha });
      return detectable ? { threshold, detectable } : { threshold };
    }
    const side = sideEvidence(baseline, info, buckets);
    if (!side) return { threshold };
    const design = logScaleDesign({
      baseline: side,
      baselineRequests: summary.requests,
      looks,
      currentTrials: 1,
      threshold,
      alpha,
      driftFloor: options.driftSigma,
    });
    return { threshold, detectable: design.detectable };
  });
}
