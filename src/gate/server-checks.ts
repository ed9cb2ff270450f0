import { SERVER_LATENCIES } from '../server-metrics/families.js';
import type { ServerView } from '../server-metrics/types.js';
import type { RunResults } from '../results/types.js';
import { formatChange, formatValue } from './format.js';
import type { MetricInfo } from './metrics.js';
import type { CheckStatus, MetricCheck, Threshold } from './types.js';

/**
 * The server's figures as gate metrics (`server.queue_time.p95`, `server.preemptions`, …).
 * They are judged by their limits and relative or absolute changes alone, without a noise test:
 * the server gives bucketed histograms and sampled gauges, not the samples a test needs, so a
 * server threshold should be set wider than a client one (README "Server metrics").
 */
interface ServerMetric {
  metric: string;
  label: string;
  unit: MetricCheck['unit'];
  direction: MetricInfo['direction'];
  read: (view: ServerView) => number | undefined;
  samples: (view: ServerView) => number;
}

const LATENCY_LABELS: Record<(typeof SERVER_LATENCIES)[number], string> = {
  ttft: 'Server TTFT',
  queue_time: 'Server queue time',
  itl: 'Server ITL',
  tpot: 'Server TPOT',
  e2e: 'Server E2E',
};

const STATISTICS = [
  ['p50', 'p50Ms'],
  ['p90', 'p90Ms'],
  ['p95', 'p95Ms'],
  ['p99', 'p99Ms'],
  ['mean', 'meanMs'],
] as const;

const GAUGES = [
  ['requests_waiting', 'Server requests waiting', 'requestsWaiting', 'count'],
  ['requests_running', 'Server requests running', 'requestsRunning', 'count'],
  ['kv_cache_usage', 'Server KV-cache use', 'kvCacheUsage', 'fraction'],
] as const;

const scrapes = (view: ServerView) => view.scrapes;

export const SERVER_METRICS: readonly ServerMetric[] = [
  ...SERVER_LATENCIES.flatMap((latency) =>
    STATISTICS.map(([suffix, key]) => ({
      metric: `server.${latency}.${suffix}`,
      label: `${LATENCY_LABELS[latency]} ${suffix}`,
      unit: 'ms' as const,
      direction: 'higher-is-worse' as const,
      read: (view: ServerView) => view.latency[latency]?.[key],
      samples: (view: ServerView) => view.latency[latency]?.count ?? 0,
    })),
  ),
  ...GAUGES.flatMap(([name, label, key, unit]) =>
    (['mean', 'max'] as const).map((statistic) => ({
      metric: `server.${name}.${statistic}`,
      label: `${label} ${statistic}`,
      unit,
      direction: 'higher-is-worse' as const,
      read: (view: ServerView) => view[key]?.[statistic],
      samples: scrapes,
    })),
  ),
  {
    metric: 'server.preemptions',
    label: 'Server preemptions',
    unit: 'count',
    direction: 'higher-is-worse',
    read: (view) => view.preemptions,
    samples: scrapes,
  },
  {
    metric: 'server.prefix_cache_hit_rate',
    label: 'Server prefix-cache hit rate',
    unit: 'fraction',
    direction: 'lower-is-worse',
    read: (view) => view.prefixCacheHitRate,
    samples: scrapes,
  },
];

export const SERVER_METRIC_HINT =
  'server.ttft, server.queue_time, server.itl, server.tpot or server.e2e with .p50, .p90, .p95, .p99 or .mean; ' +
  'server.requests_waiting, server.requests_running or server.kv_cache_usage with .mean or .max; ' +
  'server.preemptions; server.prefix_cache_hit_rate';

function find(metric: string): ServerMetric | undefined {
  return SERVER_METRICS.find((entry) => entry.metric === metric);
}

export function serverMetricInfo(name: string): MetricInfo | undefined {
  const entry = find(name);
  if (!entry) return undefined;
  return {
    metric: entry.metric,
    label: entry.label,
    unit: entry.unit,
    direction: entry.direction,
    kind: 'server',
    minSamples: 1,
  };
}

export function serverMetricValue(results: RunResults, metric: string): number | undefined {
  return results.server ? find(metric)?.read(results.server) : undefined;
}

export function serverMetricSamples(results: RunResults, metric: string): number {
  return results.server ? (find(metric)?.samples(results.server) ?? 0) : 0;
}

/** A relative or absolute change beyond its threshold is a regression; no noise test (see above). */
export function judgeServerChange(check: MetricCheck, threshold: Threshold): MetricCheck {
  const baseline = check.baseline ?? 0;
  const sign = threshold.direction === 'higher-is-worse' ? 1 : -1;
  const change =
    threshold.kind === 'relative'
      ? baseline === 0
        ? check.current === 0
          ? 0
          : sign * Infinity
        : (sign * (check.current - baseline)) / baseline
      : sign * (check.current - baseline);
  const status: CheckStatus =
    change > threshold.value ? 'regression' : -change > threshold.value ? 'improvement' : 'pass';
  const shown =
    check.relativeDelta !== undefined
      ? formatChange(check.relativeDelta)
      : `${formatValue(baseline, check.unit)} → ${formatValue(check.current, check.unit)}`;
  return {
    ...check,
    status,
    evidence: `${shown} from the server's metrics; no noise test (bucketed histograms and sampled gauges)`,
  };
}
