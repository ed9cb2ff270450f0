import type { RequestRecord } from '../client/types.js';
import { metricValue, type MetricInfo } from '../metrics/catalogue.js';
import { forEachSample, meetsSlo } from '../metrics/recorder.js';
import type { RunResults } from '../domain/results.js';
import { bucketReader } from './evidence.js';
import { chiSquareQuantile, percentileLogSparsity } from './statistics.js';

/**
 * Paired A/B against a live reference. Each request of the seeded sequence went to both endpoints
 * at the same time, so a pair shares the prompt and the moment: a busy cluster, a slow network or
 * a long prompt moves both of its requests. The comparison is still L = ln(candidate / reference)
 * of each metric as the catalogue defines it, but its noise is measured on the pairs.
 *
 * Every metric is a smooth function of its run's requests, so L is, to first order, the mean over
 * the pairs of one influence value per pair ψ = ψ(candidate request) − ψ(reference request): for a
 * percentile of a distribution (Bahadur's representation) ψ = s · (p·m − #samples ≤ Q) / m̄, with
 * s = d ln Q/dp of that side and m its request's samples; for a throughput over a window of busy
 * slots (closed loop) ψ = amount / mean amount − e2e / mean e2e. What both requests of a pair
 * share cancels in ψ, which is where the paired design gains: the variance of L is Var(ψ) / pairs.
 */
export interface RequestPair {
  candidate: RequestRecord;
  reference: RequestRecord;
}

/**
 * Pairs in a block when checking whether neighbouring pairs move together (a slowdown that one
 * side felt a few seconds longer than the other): small enough for many blocks at a first look.
 */
const BLOCK_PAIRS = 20;
/** Block means spread beyond this quantile of what independent pairs explain: use blocks. */
const SERIAL_EVIDENCE = 0.95;

/** Where one side's influence values come from: its results (the metric's value, its buckets). */
type Influence = (record: RequestRecord) => number;

/**
 * Per metric (canonical name): the variance per pair of the paired influence on ln(candidate /
 * reference). Metrics either side did not measure (or measured as 0) are left out; limits and
 * server metrics do not need it.
 */
export function pairedLogVariances(
  candidate: RunResults,
  reference: RunResults,
  pairs: readonly RequestPair[],
  metrics: readonly MetricInfo[],
): Record<string, number> {
  const variances: Record<string, number> = {};
  for (const info of metrics) {
    if (info.metric in variances) continue;
    const candidateInfluence = influenceOf(candidate, info);
    const referenceInfluence = influenceOf(reference, info);
    if (!candidateInfluence || !referenceInfluence) continue;
    const values = pairs.map(
      (pair) => candidateInfluence(pair.candidate) - referenceInfluence(pair.reference),
    );
    variances[info.metric] = perPairVariance(values);
  }
  return variances;
}

/**
 * The variance per pair of ψ. Pairs sent one after the other may move together (a disturbance
 * that did not hit both sides alike); when the means of blocks of neighbours spread more than
 * independent pairs explain (a chi-square test), the blocks' spread is the variance.
 */
function perPairVariance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const mean = values.reduce((total, value) => total + value, 0) / n;
  const independent = values.reduce((total, value) => total + (value - mean) ** 2, 0) / (n - 1);
  const blocks = Math.floor(n / BLOCK_PAIRS);
  if (blocks < 2 || independent === 0) return independent;
  const blockMeans = Array.from({ length: blocks }, (_, block) => {
    let total = 0;
    for (let index = block * BLOCK_PAIRS; index < (block + 1) * BLOCK_PAIRS; index++) {
      total += values[index]!;
    }
    return total / BLOCK_PAIRS;
  });
  const blockMean = blockMeans.reduce((total, value) => total + value, 0) / blocks;
  const squares = blockMeans.reduce((total, value) => total + (value - blockMean) ** 2, 0);
  const statistic = (squares * BLOCK_PAIRS) / independent;
  if (statistic <= chiSquareQuantile(SERIAL_EVIDENCE, blocks - 1)) return independent;
  return Math.max(independent, (squares * BLOCK_PAIRS) / (blocks - 1));
}

/** One side's influence function on ln(metric); undefined when the metric is 0 or unmeasured. */
function influenceOf(results: RunResults, info: MetricInfo): Influence | undefined {
  const value = metricValue(results, info);
  if (value === undefined || value <= 0) return undefined;
  switch (info.kind) {
    case 'percentile': {
      if (info.percentile >= 100) return undefined;
      const p = info.percentile / 100;
      const sparsity = percentileLogSparsity(
        bucketReader(results)(info.distribution),
        info.percentile,
      );
      const requests = Math.max(1, results.summary.requests);
      const samplesPerRequest = results.summary.distributions[info.distribution].count / requests;
      if (samplesPerRequest === 0) return undefined;
      return (record) => {
        if (!record.ok) return 0;
        let samples = 0;
        let atOrBelow = 0;
        forEachSample(
          record,
          (distribution, valueMs) => {
            if (distribution !== info.distribution) return;
            samples++;
            if (valueMs <= value) atOrBelow++;
          },
          info.distribution,
        );
        return (sparsity * (p * samples - atOrBelow)) / samplesPerRequest;
      };
    }
    case 'throughput':
      return info.field === 'outputTokensPerSecond'
        ? rateInfluence(results, results.summary.outputTokens, (record) =>
            record.ok ? record.outputTokens : 0,
          )
        : rateInfluence(results, results.summary.succeeded, (record) => (record.ok ? 1 : 0));
    case 'goodput':
      return rateInfluence(results, results.summary.goodRequests, (record) =>
        meetsSlo(record, results.config.slo) ? 1 : 0,
      );
    case 'attainment': {
      const good = results.summary.goodRequests / Math.max(1, results.summary.requests);
      return (record) => (meetsSlo(record, results.config.slo) ? 1 : 0) / good;
    }
    // Error rates are compared as counts (src/gate/evaluate.ts); server metrics are the server's.
    case 'error-rate':
    case 'server':
      return undefined;
  }
}

/**
 * A rate: an amount per second of the window. Closed loop, the window is the side's busy slots
 * (Σ e2e / concurrency), so both the amount and the time are the request's; open loop, both
 * sides share the arrivals' span, and only the amount is.
 */
function rateInfluence(
  results: RunResults,
  amountTotal: number,
  amountOf: (record: RequestRecord) => number,
): Influence | undefined {
  const { summary, config } = results;
  const requests = Math.max(1, summary.requests);
  const meanAmount = amountTotal / requests;
  if (meanAmount <= 0) return undefined;
  const meanE2eMs =
    config.requestRate === undefined ? (summary.windowMs * config.concurrency) / requests : 0;
  return (record) => amountOf(record) / meanAmount - (meanE2eMs > 0 ? record.e2eMs / meanE2eMs : 0);
}
