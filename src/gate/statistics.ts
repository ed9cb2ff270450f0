import { binomialUpperTail, fisherMidP, normalCdf } from './distributions.js';
import type { Direction } from './types.js';

/**
 * The gate's noise model. A scalar (a percentile, a throughput) is compared on the log scale:
 * L = ln(current / baseline). Its variance has two parts:
 *  - within-run sampling noise of each side (from the whole distribution: the exact bootstrap of
 *    the percentile from the histogram buckets, or a delta-method variance for throughputs);
 *  - run-to-run drift, a factor shared by every request of a run. One run cannot show it, so it
 *    comes from the spread between trials when a side has several, and never falls below an
 *    assumed floor σ (a single trial per side uses the floor alone).
 * A normal approximation of L then gives one-sided p-values and the interval.
 */

export interface Bucket {
  valueMs: number;
  count: number;
}

/**
 * Variance of ln(sample percentile) under the bootstrap, computed exactly instead of by
 * resampling: the k-th smallest of n draws from the histogram is ≤ bucket j exactly when
 * Binomial(n, F_j) ≥ k, so each bucket's bootstrap probability is a difference of two binomial
 * tails. This is the limit of infinitely many resamples, costs one pass over the buckets and
 * needs no random numbers.
 */
export function bootstrapLogPercentileVariance(
  buckets: readonly Bucket[],
  percentile: number,
): number {
  const n = buckets.reduce((total, bucket) => total + bucket.count, 0);
  if (n === 0) return Infinity;
  const p = percentile / 100;
  // Same rank as HdrHistogram's getValueAtPercentile (round up, at least the first value).
  const rank = Math.max(1, Math.ceil(p * n - 1e-9));
  // Buckets whose cumulative fraction is this far from p carry no bootstrap weight (< 1e-15).
  const reach = 9 * Math.sqrt((p * (1 - p)) / n) + 2 / n;
  let cumulative = 0;
  let previousTail = 0;
  let reference: number | undefined;
  let sum = 0;
  let sumOfSquares = 0;
  for (const bucket of buckets) {
    cumulative += bucket.count;
    const fraction = cumulative / n;
    const tail =
      fraction < p - reach ? 0 : fraction > p + reach ? 1 : binomialUpperTail(n, rank, fraction);
    const weight = tail - previousTail;
    previousTail = tail;
    if (weight > 0) {
      reference ??= Math.log(bucket.valueMs);
      const offset = Math.log(bucket.valueMs) - reference;
      sum += weight * offset;
      sumOfSquares += weight * offset * offset;
    }
    if (tail >= 1) break;
  }
  return Math.max(0, sumOfSquares - sum * sum);
}

/** What one side of a comparison contributes: its value and the noise around it. */
export interface SideEvidence {
  /** The pooled figure over all trials (> 0). */
  value: number;
  /** Within-run sampling variance of ln(value), pooled over the trials. */
  withinVariance: number;
  /** Trials pooled into `value` (1 for a single run). */
  trials: number;
  /** The figure of each trial, when recorded: the run-to-run spread is estimated from these. */
  trialValues: readonly number[];
  /**
   * Baselines: the whole-run figures of the key's last accepted runs (this one included), taken
   * on different days, so their spread shows the drift that trials back to back understate.
   */
  runValues?: readonly number[];
  /** Within-run sampling variance of ln(figure) of one such run. */
  runWithinVariance?: number;
}

/** The groups of figures whose spread estimates drift, each with its members' within-variance. */
function spreadGroups(side: SideEvidence): Array<{ values: number[]; within: number }> {
  const positiveLogs = (values: readonly number[]) =>
    values.filter((value) => value > 0).map(Math.log);
  const trials = positiveLogs(side.trialValues);
  const groups = [{ values: trials, within: side.withinVariance * trials.length }];
  if (side.runValues) {
    groups.push({ values: positiveLogs(side.runValues), within: side.runWithinVariance ?? 0 });
  }
  return groups;
}

/**
 * Run-to-run drift variance σ² (log scale) per run. Each side's trials spread by within-run noise
 * of one trial (≈ pooled within-variance × trials) plus σ²; what exceeds the within part is
 * drift. A baseline's history of accepted runs is one more group, each run with its own
 * within-variance. Pooled over all groups, and never below the floor: trials run back to back in
 * one job share more conditions than runs on different days, so they can only raise the estimate.
 */
export function driftVariance(sides: readonly SideEvidence[], floorSigma: number): number {
  let excess = 0;
  let degreesOfFreedom = 0;
  for (const { values, within } of sides.flatMap(spreadGroups)) {
    if (values.length < 2) continue;
    const mean = values.reduce((total, value) => total + value, 0) / values.length;
    const squares = values.reduce((total, value) => total + (value - mean) ** 2, 0);
    excess += squares - (values.length - 1) * within;
    degreesOfFreedom += values.length - 1;
  }
  const estimated = degreesOfFreedom > 0 ? excess / degreesOfFreedom : 0;
  return Math.max(floorSigma * floorSigma, estimated);
}

export interface LogComparison {
  /** ln(current / baseline). */
  logRatio: number;
  standardError: number;
  /** One-sided p-value for "current is worse than baseline". */
  pWorse: number;
  /** One-sided p-value for "current is better than baseline". */
  pBetter: number;
}

export function compareOnLogScale(
  baseline: SideEvidence,
  current: SideEvidence,
  direction: Direction,
  floorSigma: number,
): LogComparison {
  const drift = driftVariance([baseline, current], floorSigma);
  const variance =
    baseline.withinVariance +
    current.withinVariance +
    drift * (1 / baseline.trials + 1 / current.trials);
  const standardError = Math.sqrt(variance);
  const logRatio = Math.log(current.value / baseline.value);
  const worse = direction === 'higher-is-worse' ? logRatio : -logRatio;
  const pWorse = standardError > 0 ? 1 - normalCdf(worse / standardError) : worse > 0 ? 0 : 1;
  return { logRatio, standardError, pWorse, pBetter: 1 - pWorse };
}

/** Error rates: one-sided Fisher exact tests (mid-p) in both directions. */
export function compareErrorCounts(
  baseline: { failed: number; requests: number },
  current: { failed: number; requests: number },
): { pWorse: number; pBetter: number } {
  return {
    pWorse: fisherMidP(baseline.failed, baseline.requests, current.failed, current.requests),
    pBetter: fisherMidP(current.failed, current.requests, baseline.failed, baseline.requests),
  };
}
