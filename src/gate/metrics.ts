import type { DistributionName, RunResults, TrialFigures } from '../results/types.js';
import { serverMetricInfo, serverMetricSamples, serverMetricValue } from './server-checks.js';
import type { Direction, MetricCheck } from './types.js';

/** A metric the gate can read from a results file and judge. */
export interface MetricInfo {
  /** Canonical name, e.g. `ttft.p95`, `output_tokens_per_second`. */
  metric: string;
  label: string;
  unit: MetricCheck['unit'];
  direction: Direction;
  kind: 'percentile' | 'throughput' | 'goodput' | 'error-rate' | 'server';
  distribution?: DistributionName;
  /** 0..100; 100 is the max. */
  percentile?: number;
  /** Samples needed on each side before the gate judges a relative change. */
  minSamples: number;
}

/** Distributions users may gate on, by the name they write. */
const GATED_DISTRIBUTIONS: Record<string, { distribution: DistributionName; label: string }> = {
  ttft: { distribution: 'ttft', label: 'TTFT' },
  ttft_from_schedule: { distribution: 'ttftFromSchedule', label: 'TTFT from schedule' },
  ttfb: { distribution: 'ttfb', label: 'TTFB' },
  ttfo: { distribution: 'ttfo', label: 'TTFO' },
  itl: { distribution: 'itl', label: 'ITL' },
  tpot: { distribution: 'tpot', label: 'TPOT' },
  e2e: { distribution: 'e2e', label: 'E2E' },
};

export const PERCENTILE_SUFFIXES: Record<string, number> = {
  p50: 50,
  p90: 90,
  p95: 95,
  p99: 99,
  'p99.9': 99.9,
  max: 100,
};

/**
 * A percentile rests on the samples beyond it: ten in the tail (n·(1 − p) ≥ 10) gives the
 * brief's p95 ≥ 200, p99 ≥ 1000, p99.9 ≥ 10000. The max has no stable estimate at any n.
 */
function minSamplesFor(percentile: number): number {
  return percentile >= 100 ? Infinity : Math.ceil(10 / (1 - percentile / 100) - 1e-9);
}

const RATE_METRICS: MetricInfo[] = [
  {
    metric: 'output_tokens_per_second',
    label: 'Output tokens/s',
    unit: 'tok/s',
    direction: 'lower-is-worse',
    kind: 'throughput',
    minSamples: 1,
  },
  {
    metric: 'requests_per_second',
    label: 'Requests/s',
    unit: 'req/s',
    direction: 'lower-is-worse',
    kind: 'throughput',
    minSamples: 1,
  },
  {
    metric: 'goodput',
    label: 'Goodput',
    unit: 'req/s',
    direction: 'lower-is-worse',
    kind: 'goodput',
    minSamples: 1,
  },
  {
    metric: 'error_rate',
    label: 'Error rate',
    unit: 'fraction',
    direction: 'higher-is-worse',
    kind: 'error-rate',
    minSamples: 1,
  },
];

const ALIASES: Record<string, string> = {
  tokens_per_second: 'output_tokens_per_second',
  throughput: 'output_tokens_per_second',
};

/** The distribution names users may write (`ttft`, `itl`, …), for the k6 form. */
export function isDistributionName(name: string): boolean {
  return name in GATED_DISTRIBUTIONS;
}

/** Looks a metric up by canonical name or alias (case-insensitive); undefined when unknown. */
/** Arrivals on a schedule (a request rate, or a sweep over rates): TTFT is judged from it. */
export function isOpenLoop(config: {
  requestRate?: number | undefined;
  sweep?: { dimension: string } | undefined;
}): boolean {
  return config.requestRate !== undefined || config.sweep?.dimension === 'request-rate';
}

/** The headline metrics, in the order every report shows them, judged or not. */
const HEADLINE = [
  'ttft.p50',
  'ttft.p95',
  'ttft.p99',
  'itl.p95',
  'tpot.p95',
  'e2e.p95',
  'output_tokens_per_second',
  'requests_per_second',
  'error_rate',
  'goodput',
];

/**
 * The headline metrics of a run: the one list behind the gate's rows and the report's table. In
 * open loop TTFT from the scheduled time stands beside TTFT: it is what users felt.
 */
export function headlineMetrics(config: {
  requestRate?: number | undefined;
  sweep?: { dimension: string } | undefined;
}): MetricInfo[] {
  const names = isOpenLoop(config)
    ? [...HEADLINE.slice(0, 3), 'ttft_from_schedule.p95', ...HEADLINE.slice(3)]
    : HEADLINE;
  return names.flatMap((name) => metricInfo(name) ?? []);
}

export function metricInfo(name: string): MetricInfo | undefined {
  const lower = name.trim().toLowerCase();
  const canonical = ALIASES[lower] ?? lower;
  if (canonical.startsWith('server.')) return serverMetricInfo(canonical);
  const rate = RATE_METRICS.find((info) => info.metric === canonical);
  if (rate) return rate;
  const dot = canonical.indexOf('.');
  if (dot < 0) return undefined;
  const gated = GATED_DISTRIBUTIONS[canonical.slice(0, dot)];
  const percentile = PERCENTILE_SUFFIXES[canonical.slice(dot + 1)];
  if (!gated || percentile === undefined) return undefined;
  const suffix = canonical.slice(dot + 1);
  return {
    metric: canonical,
    label: `${gated.label} ${suffix}`,
    unit: 'ms',
    direction: 'higher-is-worse',
    kind: 'percentile',
    distribution: gated.distribution,
    percentile,
    minSamples: minSamplesFor(percentile),
  };
}

/** A metric's value in its unit; undefined when the run did not measure it (goodput without SLOs). */
export function metricValue(results: RunResults, info: MetricInfo): number | undefined {
  const summary = results.summary;
  switch (info.kind) {
    case 'percentile': {
      const distribution = summary.distributions[info.distribution!];
      switch (info.percentile) {
        case 50:
          return distribution.p50Ms;
        case 90:
          return distribution.p90Ms;
        case 95:
          return distribution.p95Ms;
        case 99:
          return distribution.p99Ms;
        case 99.9:
          return distribution.p999Ms;
        default:
          return distribution.maxMs;
      }
    }
    case 'throughput':
      return info.metric === 'requests_per_second'
        ? summary.requestsPerSecond
        : summary.outputTokensPerSecond;
    case 'goodput':
      return summary.goodputRequestsPerSecond;
    case 'error-rate':
      return summary.errorRate;
    case 'server':
      return serverMetricValue(results, info.metric);
  }
}

/** Samples behind a metric: the distribution's count, or the measured requests. */
export function metricSamples(results: RunResults, info: MetricInfo): number {
  if (info.kind === 'percentile') return results.summary.distributions[info.distribution!].count;
  if (info.kind === 'server') return serverMetricSamples(results, info.metric);
  return results.summary.requests;
}

/** The per-trial figure for a metric, when trials record it (run-to-run spread comes from these). */
export function trialValue(trial: TrialFigures, metric: string): number | undefined {
  const byMetric: Record<string, number> = {
    'ttft.p50': trial.ttftP50Ms,
    'ttft.p95': trial.ttftP95Ms,
    'ttft.p99': trial.ttftP99Ms,
    ...(trial.ttftFromScheduleP95Ms !== undefined
      ? { 'ttft_from_schedule.p95': trial.ttftFromScheduleP95Ms }
      : {}),
    'itl.p95': trial.itlP95Ms,
    'tpot.p95': trial.tpotP95Ms,
    'e2e.p95': trial.e2eP95Ms,
    output_tokens_per_second: trial.outputTokensPerSecond,
    requests_per_second: trial.requestsPerSecond,
  };
  return byMetric[metric];
}
