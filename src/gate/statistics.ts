import { binomialUpperTail, fisherMidP, normalCdf, normalQuantile } from './distributions.js';
import type { Direction } from '../domain/judgement.js';

/**
 * The gate's noise model. A scalar (a percentile, a throughput) is compared on the log scale:
 * L = ln(current / baseline). Its variance has two parts:
 *  - within-run sampling noise of each side (from the whole distribution: the percentile's
 *    asymptotic variance from the histogram buckets, or a delta-method variance for throughputs);
 *  - run-to-run drift, a factor shared by every request of a run. One run cannot show it, so it
 *    comes from the spread between trials when a side has several, and never falls below an
 *    assumed floor σ (a single trial per side uses the floor alone).
 * A normal approximation of L then gives one-sided p-values and the interval.
 */

export interface Bucket {
  valueMs: number;
  count: number;
}

/** The value at which `fraction` of the `total` samples in `buckets` lie (HdrHistogram's rank). */
function quantileOf(buckets: readonly Bucket[], total: number, fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * total - 1e-9));
  let cumulative = 0;
  for (const bucket of buckets) {
    cumulative += bucket.count;
    if (cumulative >= rank) return bucket.valueMs;
  }
  return buckets[buckets.length - 1]?.valueMs ?? 0;
}

/**
 * Variance of ln(sample percentile): p(1−p)/n · s², where the sparsity s = d ln Q/dp comes from
 * the spacing of the quantiles at p ± h (Siddiqui's estimator, with Bofinger's bandwidth
 * h ∝ n^−1/5). The exact bootstrap variance of a percentile rests on the few order statistics
 * next to it and scatters over a factor of two between identical runs of 3,000 requests; this
 * is as right on average and much steadier, so a baseline's design (and whether it is admitted)
 * does not hang on a lucky draw.
 */
export function percentileLogVariance(buckets: readonly Bucket[], percentile: number): number {
  const n = buckets.reduce((total, bucket) => total + bucket.count, 0);
  if (n === 0) return Infinity;
  const p = percentile / 100;
  return ((p * (1 - p)) / n) * percentileLogSparsity(buckets, percentile) ** 2;
}

/** d ln Q / dp at the percentile (see percentileLogVariance); 0 when the buckets cannot show it. */
export function percentileLogSparsity(buckets: readonly Bucket[], percentile: number): number {
  const n = buckets.reduce((total, bucket) => total + bucket.count, 0);
  const p = percentile / 100;
  const z = normalQuantile(p);
  const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  const bofinger = n ** -0.2 * ((4.5 * density ** 4) / (2 * z * z + 1) ** 2) ** 0.2;
  const h = Math.min(bofinger, 0.9 * (1 - p), 0.9 * p);
  const [low, high] = [quantileOf(buckets, n, p - h), quantileOf(buckets, n, p + h)];
  if (!(h > 0) || low <= 0) return 0;
  // The spacing of ln Q over ±h, divided by what that spacing overstates the slope at p by when
  // ln Q is normal (latencies are near log-normal), so the wider window adds no bias.
  const secant = (normalQuantile(p + h) - normalQuantile(p - h)) / (2 * h);
  return (Math.log(high) - Math.log(low)) / (2 * h) / (secant / (1 / density));
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
 * Spread beyond this quantile of what within-run noise plus the floor's drift explain is taken as
 * evidence of more drift. Below it the floor stands: three trials give two degrees of freedom,
 * whose variance estimate alone scatters over a factor of ten, and taking every high draw at face
 * value would call four in ten clean baselines too noisy to gate with (bench/results/gate.md).
 */
export const DRIFT_EVIDENCE = 0.95;

/** Chi-square quantile (Wilson–Hilferty; within 1% of the exact value from 2 degrees of freedom). */
export function chiSquareQuantile(probability: number, degreesOfFreedom: number): number {
  const k = degreesOfFreedom;
  const z = normalQuantile(probability);
  return k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
}

/**
 * Run-to-run drift variance σ² (log scale) per run. Each side's trials spread by within-run noise
 * of one trial (≈ pooled within-variance × trials) plus σ²; what exceeds the within part is
 * drift. A baseline's history of accepted runs is one more group, each run with its own
 * within-variance. Pooled over all groups, and never below the floor: trials run back to back in
 * one job share more conditions than runs on different days, so they can only raise the
 * estimate, and they raise it only when their spread is more than the floor explains (a
 * chi-square test at DRIFT_EVIDENCE).
 */
export function driftVariance(sides: readonly SideEvidence[], floorSigma: number): number {
  const floor = floorSigma * floorSigma;
  let excess = 0;
  let statistic = 0;
  let degreesOfFreedom = 0;
  for (const { values, within } of sides.flatMap(spreadGroups)) {
    if (values.length < 2) continue;
    const mean = values.reduce((total, value) => total + value, 0) / values.length;
    const squares = values.reduce((total, value) => total + (value - mean) ** 2, 0);
    excess += squares - (values.length - 1) * within;
    statistic += squares / Math.max(within + floor, Number.MIN_VALUE);
    degreesOfFreedom += values.length - 1;
  }
  if (degreesOfFreedom === 0) return floor;
  if (statistic <= chiSquareQuantile(DRIFT_EVIDENCE, degreesOfFreedom)) return floor;
  return Math.max(floor, excess / degreesOfFreedom);
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
  return logComparison(Math.log(current.value / baseline.value), variance, direction);
}

/** The normal approximation of L = ln(current / baseline) with this variance. */
export function logComparison(
  logRatio: number,
  variance: number,
  direction: Direction,
): LogComparison {
  const standardError = Math.sqrt(variance);
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

/**
 * Clopper–Pearson bound on a failure rate from `failed` of `requests`: the rate below (upper) or
 * above (lower) which the true rate lies with `confidence`, one-sided.
 */
export function rateBound(
  failed: number,
  requests: number,
  confidence: number,
  side: 'upper' | 'lower',
): number {
  if (requests <= 0) return side === 'upper' ? 1 : 0;
  if (side === 'upper' && failed >= requests) return 1;
  if (side === 'lower' && failed <= 0) return 0;
  // upper: the rate at which seeing ≤ failed has probability 1 − confidence;
  // lower: the rate at which seeing ≥ failed has probability 1 − confidence.
  const tail = (rate: number) =>
    side === 'upper'
      ? 1 - binomialUpperTail(requests, failed + 1, rate)
      : binomialUpperTail(requests, failed, rate);
  let low = 0;
  let high = 1;
  for (let step = 0; step < 50; step++) {
    const middle = (low + high) / 2;
    const probability = tail(middle);
    // P(X ≤ failed) falls as the rate rises; P(X ≥ failed) rises with it.
    if (side === 'upper' ? probability > 1 - confidence : probability < 1 - confidence)
      low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
