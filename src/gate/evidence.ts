import { decodeHistogram, histogramBuckets } from '../metrics/histogram.js';
import type { DistributionName, RunResults } from '../domain/results.js';
import { metricValue, trialValue, type MetricInfo } from '../metrics/catalogue.js';
import { percentileLogVariance, type Bucket, type SideEvidence } from './statistics.js';

export type BucketReader = (distribution: DistributionName) => Bucket[];

/** One reader per results object: a baseline judged against several runs is decoded once. */
const readers = new WeakMap<RunResults, BucketReader>();

/** Decodes each histogram of a run at most once (decoding dominates the gate's run time). */
export function bucketReader(results: RunResults): BucketReader {
  const known = readers.get(results);
  if (known) return known;
  const cache = new Map<DistributionName, Bucket[]>();
  const reader: BucketReader = (distribution) => {
    let buckets = cache.get(distribution);
    if (!buckets) {
      const histogram = decodeHistogram(results.histograms.overall[distribution]);
      buckets = histogramBuckets(histogram);
      histogram.destroy();
      cache.set(distribution, buckets);
    }
    return buckets;
  };
  readers.set(results, reader);
  return reader;
}

/** Coefficient of variation of the gaps between arrivals, per arrival process (open loop). */
function arrivalVariation(results: RunResults): number {
  const config = results.config;
  if (config.requestRate === undefined) return 0;
  if (config.arrival === 'constant') return 0;
  if (config.arrival === 'gamma') return 1 / Math.sqrt(config.burstiness);
  return 1;
}

/**
 * Within-run variance of ln(throughput). Closed loop: the window is about Σ e2e / concurrency, so
 * throughput varies like a mean of n request durations (CV²/n, delta method). Open loop: the
 * arrival process sets the window, so the arrivals' CV takes over when larger.
 */
function throughputLogVariance(results: RunResults): number {
  const summary = results.summary;
  const e2e = summary.distributions.e2e;
  const requestVariation = e2e.meanMs > 0 ? e2e.stdDevMs / e2e.meanMs : 1;
  const variation = Math.max(requestVariation, arrivalVariation(results));
  return (variation * variation) / Math.max(1, summary.succeeded);
}

/** The evidence one run gives on a metric; undefined when the metric is 0 or not measured. */
export function sideEvidence(
  results: RunResults,
  info: MetricInfo,
  buckets: BucketReader,
): SideEvidence | undefined {
  const value = metricValue(results, info);
  if (value === undefined || value <= 0) return undefined;
  let withinVariance: number;
  if (info.kind === 'percentile') {
    withinVariance = percentileLogVariance(buckets(info.distribution), info.percentile);
  } else if (info.kind === 'goodput') {
    // Good requests are a binomial share of all requests, on top of the throughput's noise.
    const share = results.summary.goodRequests / Math.max(1, results.summary.requests);
    withinVariance =
      (1 - share) / Math.max(1, results.summary.goodRequests) + throughputLogVariance(results);
  } else if (info.kind === 'attainment') {
    // A binomial share: Var ln(p̂) ≈ (1 − p) / (n p).
    withinVariance = (1 - value) / Math.max(1, results.summary.requests * value);
  } else {
    withinVariance = throughputLogVariance(results);
  }
  const trialValues = results.trials
    .map((trial) => trialValue(trial, info.metric))
    .filter((figure): figure is number => figure !== undefined);
  const trials = Math.max(1, results.trials.length);
  return {
    value,
    withinVariance,
    trials,
    trialValues: trialValues.length === results.trials.length ? trialValues : [],
    ...historyEvidence(results, info, withinVariance * trials),
  };
}

/**
 * A baseline's accepted runs as drift evidence. Each ran the same plan, so one of its trials has
 * about the within-variance of one of this run's trials; a run of t trials pools t of them.
 */
function historyEvidence(
  results: RunResults,
  info: MetricInfo,
  perTrialWithin: number,
): Pick<SideEvidence, 'runValues' | 'runWithinVariance'> {
  const history = results.history ?? [];
  const runValues = history.flatMap((run) => trialValue(run.figures, info.metric) ?? []);
  if (runValues.length < 2 || runValues.length !== history.length) return {};
  const meanWithin =
    history.reduce((total, run) => total + perTrialWithin / Math.max(1, run.trials), 0) /
    history.length;
  return { runValues, runWithinVariance: meanWithin };
}
