/**
 * Every metric the tool judges, shows, exports or outputs, defined once: its name, label, unit,
 * direction, formula, where its value and per-trial value come from, the samples it needs, its
 * export slug and its action output. The gate, the report, the results file, the exports and the
 * action read it; promoting a metric to the headline is a change here plus its measurement.
 */
import { SERVER_LATENCIES } from '../domain/server-view.js';
import type { ServerView } from '../domain/server-view.js';
import type {
  DistributionName,
  Distributions,
  RunResults,
  RunSummary,
  TrialFigures,
} from '../domain/results.js';

import type { Direction, MetricUnit } from '../domain/judgement.js';

/** A figure of the results file that has a value per trial (run-to-run spread comes from these). */
export type TrialField = Exclude<
  keyof TrialFigures,
  'requests' | 'failed' | 'windowMs' | 'errorRate'
>;

/** How a headline metric appears in the Bencher and github-action-benchmark exports. */
export interface ExportSpec {
  slug: string;
  /** Those tools chart by name: label and unit stay as first published. */
  label: string;
  unit: string;
  /** Per prompt class as well as for the run (rates exist for the whole run only). */
  perClass: boolean;
}

/** An action output carrying a metric; empty when the metric has no samples. */
export interface OutputSpec {
  name: string;
  description: string;
  /** Decimals written; all of them when absent. */
  digits?: number;
}

interface MetricBase {
  /** Canonical name, e.g. `ttft.p95`, `output_tokens_per_second`. */
  metric: string;
  label: string;
  unit: MetricUnit;
  direction: Direction;
  /** Samples needed on each side before the gate judges a relative change. */
  minSamples: number;
  /** Rests on output token counts: not judged when they are estimated. */
  countsTokens: boolean;
  trialField?: TrialField;
  /** The formula recorded in results files, under the figure's name there. */
  formula?: { figure: string; text: string };
  exported?: ExportSpec;
  output?: OutputSpec;
  /** Which part of a request the metric covers, for the diagnosis; absent for error rates. */
  aspect?: Aspect;
  /** The threshold the gate applies when the user sets none for this metric. */
  defaultThreshold?: DefaultThreshold;
}

/**
 * What part of a request a metric covers: its start (up to the first token), its decode (per
 * token) or the whole of it. The diagnosis compares the parts that explain the moved aspect.
 */
export type Aspect = 'start' | 'decode' | 'whole';

/** A default threshold: a change against the baseline, in the metric's bad direction. */
export interface DefaultThreshold {
  kind: 'relative' | 'absolute-change';
  /** A fraction of the baseline (relative) or the metric's unit (absolute change). */
  value: number;
  /** As the user would write it, e.g. `+10%`, `+1pp`. */
  written: string;
  /** Only in this loop; in both when absent (open loop judges TTFT from the schedule). */
  loop?: 'open' | 'closed';
}

export type PercentileSuffix = keyof typeof PERCENTILE_SUFFIXES;

export interface PercentileMetric extends MetricBase {
  kind: 'percentile';
  distribution: DistributionName;
  suffix: PercentileSuffix;
  /** 0..100; 100 is the max. */
  percentile: number;
}

export interface ThroughputMetric extends MetricBase {
  kind: 'throughput';
  field: 'outputTokensPerSecond' | 'requestsPerSecond';
}

/** Successful requests meeting every SLO per second; unmeasured without SLOs. */
export interface GoodputMetric extends MetricBase {
  kind: 'goodput';
}

export interface ErrorRateMetric extends MetricBase {
  kind: 'error-rate';
}

/** Share of measured requests that succeeded and met every SLO; unmeasured without SLOs. */
export interface AttainmentMetric extends MetricBase {
  kind: 'attainment';
}

/**
 * A figure from the server's own Prometheus metrics (`server.queue_time.p95`, …). The gate judges
 * them by limits and changes alone (src/gate/server-checks.ts): the server gives bucketed
 * histograms and sampled gauges, not the samples a noise test needs.
 */
export interface ServerMetric extends MetricBase {
  kind: 'server';
  /** Its row in the report's Server view, where "Server" goes without saying: `TTFT p95`. */
  viewLabel: string;
  read: (view: ServerView) => number | undefined;
  samples: (view: ServerView) => number;
  /** Percentiles: the first bucket's bound, at or below which the value says only "≤ bound". */
  floor?: (view: ServerView) => number | undefined;
}

export type MetricInfo =
  | PercentileMetric
  | ThroughputMetric
  | GoodputMetric
  | AttainmentMetric
  | ErrorRateMetric
  | ServerMetric;

/** The distributions the client measures: what users call them and how each is defined. */
export const DISTRIBUTION_FACTS: Record<
  DistributionName,
  { name: string; label: string; gated: boolean; formula: string; aspect?: Aspect }
> = {
  ttft: {
    name: 'ttft',
    label: 'TTFT',
    gated: true,
    formula:
      'request written → first streamed event carrying generated text (content, reasoning or completion text); role-only or empty chunks do not count',
    aspect: 'start',
  },
  ttftFromSchedule: {
    name: 'ttft_from_schedule',
    label: 'TTFT from schedule',
    gated: true,
    formula: 'open loop: scheduled arrival → first text event (includes waiting for a slot)',
    aspect: 'start',
  },
  ttfb: {
    name: 'ttfb',
    label: 'TTFB',
    gated: true,
    formula: 'request written → response headers',
    aspect: 'start',
  },
  ttfo: {
    name: 'ttfo',
    label: 'TTFO',
    gated: true,
    formula: 'request written → first event carrying non-reasoning output text',
    aspect: 'start',
  },
  itl: {
    name: 'itl',
    label: 'ITL',
    gated: true,
    formula: 'gaps between successive text-carrying events, all requests pooled (vLLM ITL)',
    aspect: 'decode',
  },
  tpot: {
    name: 'tpot',
    label: 'TPOT',
    gated: true,
    formula: '(e2e − TTFT) / (output tokens − 1) per request (vLLM TPOT; AIPerf calls this ITL)',
    aspect: 'decode',
  },
  e2e: {
    name: 'e2e',
    label: 'E2E',
    gated: true,
    formula: 'request written → end of stream ([DONE])',
    aspect: 'whole',
  },
  scheduleDelay: {
    name: 'schedule_delay',
    label: 'Schedule delay',
    gated: false,
    formula: 'open loop: actual send time − scheduled arrival time',
  },
};

export const PERCENTILE_SUFFIXES = {
  p50: 50,
  p90: 90,
  p95: 95,
  p99: 99,
  'p99.9': 99.9,
  max: 100,
} as const;

/**
 * A percentile rests on the samples beyond it: ten in the tail (n·(1 − p) ≥ 10) gives the
 * brief's p95 ≥ 200, p99 ≥ 1000, p99.9 ≥ 10000. The max has no stable estimate at any n.
 */
export function minSamplesFor(percentile: number): number {
  if (percentile >= 100) return Infinity;
  // Rounded first: 100 − 99.9 is 0.0999…94 in floating point, which would ask for 10001.
  return Math.ceil(Number((1000 / (100 - percentile)).toFixed(6)));
}

/** What headline percentiles publish besides the gate's row. */
const PERCENTILE_PUBLISHING: Record<
  string,
  Pick<MetricBase, 'trialField' | 'exported' | 'output' | 'defaultThreshold'>
> = {
  'ttft.p50': { trialField: 'ttftP50Ms', exported: percentileExport('ttft-p50-ms', 'TTFT p50') },
  'ttft.p95': {
    defaultThreshold: { kind: 'relative', value: 0.1, written: '+10%', loop: 'closed' },
    trialField: 'ttftP95Ms',
    exported: percentileExport('ttft-p95-ms', 'TTFT p95'),
    output: { name: 'ttft-p95-ms', description: 'Time to first token, 95th percentile, ms.' },
  },
  'ttft.p99': { trialField: 'ttftP99Ms', exported: percentileExport('ttft-p99-ms', 'TTFT p99') },
  'ttft_from_schedule.p95': {
    defaultThreshold: { kind: 'relative', value: 0.1, written: '+10%', loop: 'open' },
    trialField: 'ttftFromScheduleP95Ms',
  },
  'itl.p95': {
    trialField: 'itlP95Ms',
    exported: percentileExport('itl-p95-ms', 'ITL p95'),
    output: { name: 'itl-p95-ms', description: 'Inter-token latency, 95th percentile, ms.' },
  },
  'tpot.p95': { trialField: 'tpotP95Ms', exported: percentileExport('tpot-p95-ms', 'TPOT p95') },
  'e2e.p95': {
    trialField: 'e2eP95Ms',
    exported: percentileExport('e2e-p95-ms', 'E2E p95'),
    output: { name: 'e2e-p95-ms', description: 'End-to-end request latency, 95th percentile, ms.' },
  },
};

function percentileExport(slug: string, label: string): ExportSpec {
  return { slug, label, unit: 'ms', perClass: true };
}

/** The error rate's canonical name: the gate's ceiling and the report's failure notes ask for it. */
export const ERROR_RATE = 'error_rate';

const RATE_METRICS: ReadonlyArray<
  ThroughputMetric | GoodputMetric | AttainmentMetric | ErrorRateMetric
> = [
  {
    metric: 'output_tokens_per_second',
    label: 'Output tokens/s',
    unit: 'tok/s',
    direction: 'lower-is-worse',
    kind: 'throughput',
    field: 'outputTokensPerSecond',
    minSamples: 1,
    countsTokens: true,
    aspect: 'whole',
    defaultThreshold: { kind: 'relative', value: 0.1, written: '-10%' },
    formula: {
      figure: 'outputTokensPerSecond',
      text: 'output tokens of successful measured requests / measurement window',
    },
    trialField: 'outputTokensPerSecond',
    exported: {
      slug: 'output-tokens-per-second',
      label: 'output tokens/s',
      unit: 'tokens/s',
      perClass: false,
    },
    output: {
      name: 'output-tokens-per-second',
      description: 'Output tokens of successful requests per second of the measurement window.',
      digits: 3,
    },
  },
  {
    metric: 'requests_per_second',
    label: 'Requests/s',
    unit: 'req/s',
    direction: 'lower-is-worse',
    kind: 'throughput',
    field: 'requestsPerSecond',
    minSamples: 1,
    countsTokens: false,
    aspect: 'whole',
    formula: {
      figure: 'requestsPerSecond',
      text: 'successful measured requests / measurement window',
    },
    trialField: 'requestsPerSecond',
    exported: {
      slug: 'requests-per-second',
      label: 'requests/s',
      unit: 'requests/s',
      perClass: false,
    },
    output: {
      name: 'requests-per-second',
      description: 'Successful measured requests per second of the window.',
      digits: 4,
    },
  },
  {
    metric: 'goodput',
    label: 'Goodput',
    unit: 'req/s',
    direction: 'lower-is-worse',
    kind: 'goodput',
    minSamples: 1,
    countsTokens: false,
    aspect: 'whole',
    formula: {
      figure: 'goodput',
      text: 'successful requests meeting every SLO / measurement window',
    },
    exported: {
      slug: 'goodput-requests-per-second',
      label: 'goodput',
      unit: 'requests/s',
      perClass: false,
    },
  },
  {
    metric: 'slo_attainment',
    label: 'SLO attainment',
    unit: 'fraction',
    direction: 'lower-is-worse',
    kind: 'attainment',
    minSamples: 1,
    countsTokens: false,
    formula: {
      figure: 'sloAttainment',
      text: 'successful measured requests meeting every SLO / all measured requests',
    },
  },
  {
    metric: ERROR_RATE,
    label: 'Error rate',
    unit: 'fraction',
    direction: 'higher-is-worse',
    kind: 'error-rate',
    minSamples: 1,
    countsTokens: false,
    defaultThreshold: { kind: 'absolute-change', value: 0.01, written: '+1pp' },
    formula: { figure: 'errorRate', text: 'failed measured requests / all measured requests' },
    exported: { slug: 'error-rate', label: 'error rate', unit: 'fraction', perClass: true },
    output: {
      name: 'error-rate',
      description: 'Failed / all measured requests, a fraction 0..1.',
      digits: 6,
    },
  },
];

/** Each figure's formula, by name, so that nobody has to guess which tool's TPOT this is. */
export const FORMULAS: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(DISTRIBUTION_FACTS).map(([distribution, facts]) => [
      distribution,
      facts.formula,
    ]),
  ),
  outputTokens:
    'usage.completion_tokens (stream_options.include_usage); else the generated text counted by the tokenizer input; else its characters ÷ 4, marked estimated (never the events: one event may carry many tokens)',
  window: 'first measured request start → last measured request end (summed over trials)',
  ...Object.fromEntries(
    RATE_METRICS.flatMap(({ formula }) => (formula ? [[formula.figure, formula.text]] : [])),
  ),
};

const ALIASES: Record<string, string> = {
  tokens_per_second: 'output_tokens_per_second',
  throughput: 'output_tokens_per_second',
};

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
  ERROR_RATE,
  'goodput',
];

/** Open loop adds TTFT from the scheduled time beside TTFT: it is what users felt. */
const OPEN_LOOP_HEADLINE = [
  ...HEADLINE.slice(0, 3),
  'ttft_from_schedule.p95',
  ...HEADLINE.slice(3),
];

/** Arrivals on a schedule (a request rate, or a sweep over rates): TTFT is judged from it. */
export function isOpenLoop(config: {
  requestRate?: number | undefined;
  sweep?: { dimension: string } | undefined;
}): boolean {
  return config.requestRate !== undefined || config.sweep?.dimension === 'request-rate';
}

/** The headline metrics of a run: the one list behind the gate's rows and the report's table. */
export function headlineMetrics(config: {
  requestRate?: number | undefined;
  sweep?: { dimension: string } | undefined;
}): MetricInfo[] {
  return (isOpenLoop(config) ? OPEN_LOOP_HEADLINE : HEADLINE).flatMap(
    (name) => metricInfo(name) ?? [],
  );
}

/** Every headline metric of either loop: what trials record, exports and outputs carry. */
export function publishedMetrics(): MetricInfo[] {
  return OPEN_LOOP_HEADLINE.flatMap((name) => metricInfo(name) ?? []);
}

/** The distribution names users may write (`ttft`, `itl`, …), for the k6 form. */
export function isDistributionName(name: string): boolean {
  return gatedDistribution(name) !== undefined;
}

function gatedDistribution(name: string): DistributionName | undefined {
  const entry = Object.entries(DISTRIBUTION_FACTS).find(
    ([, facts]) => facts.gated && facts.name === name,
  );
  return entry?.[0] as DistributionName | undefined;
}

/** Looks a metric up by canonical name or alias (case-insensitive); undefined when unknown. */
export function metricInfo(name: string): MetricInfo | undefined {
  const lower = name.trim().toLowerCase();
  const canonical = ALIASES[lower] ?? lower;
  if (canonical.startsWith('server.')) {
    return SERVER_METRICS.find((entry) => entry.metric === canonical);
  }
  const rate = RATE_METRICS.find((info) => info.metric === canonical);
  if (rate) return rate;
  const dot = canonical.indexOf('.');
  if (dot < 0) return undefined;
  const distribution = gatedDistribution(canonical.slice(0, dot));
  const suffix = canonical.slice(dot + 1);
  if (!distribution || !isPercentileSuffix(suffix)) return undefined;
  const percentile = PERCENTILE_SUFFIXES[suffix];
  return {
    metric: canonical,
    label: `${DISTRIBUTION_FACTS[distribution].label} ${suffix}`,
    unit: 'ms',
    direction: 'higher-is-worse',
    kind: 'percentile',
    distribution,
    suffix,
    percentile,
    minSamples: minSamplesFor(percentile),
    countsTokens: distribution === 'tpot',
    ...(DISTRIBUTION_FACTS[distribution].aspect
      ? { aspect: DISTRIBUTION_FACTS[distribution].aspect }
      : {}),
    ...PERCENTILE_PUBLISHING[canonical],
  };
}

export function isPercentileSuffix(suffix: string): suffix is PercentileSuffix {
  return suffix in PERCENTILE_SUFFIXES;
}

/** A metric's value from a summary; undefined when not measured (goodput without SLOs). */
export function summaryValue(
  summary: RunSummary,
  info: Exclude<MetricInfo, ServerMetric>,
): number | undefined {
  switch (info.kind) {
    case 'percentile':
      return percentileValue(summary.distributions, info);
    case 'throughput':
      return summary[info.field];
    case 'goodput':
      return summary.goodputRequestsPerSecond;
    case 'attainment':
      // Measured whenever goodput is: both need SLOs.
      return summary.goodputRequestsPerSecond === undefined
        ? undefined
        : summary.goodRequests / Math.max(1, summary.requests);
    case 'error-rate':
      return summary.errorRate;
  }
}

export function percentileValue(distributions: Distributions, info: PercentileMetric): number {
  const distribution = distributions[info.distribution];
  switch (info.suffix) {
    case 'p50':
      return distribution.p50Ms;
    case 'p90':
      return distribution.p90Ms;
    case 'p95':
      return distribution.p95Ms;
    case 'p99':
      return distribution.p99Ms;
    case 'p99.9':
      return distribution.p999Ms;
    case 'max':
      return distribution.maxMs;
  }
}

/** A metric's value in its unit; undefined when the run did not measure it. */
export function metricValue(results: RunResults, info: MetricInfo): number | undefined {
  if (info.kind !== 'server') return summaryValue(results.summary, info);
  return results.server ? info.read(results.server) : undefined;
}

/**
 * A metric's figure when something was measured behind it; undefined when it does not apply or
 * nothing was (no request measured, an empty distribution): 0 would read as instant, idle or
 * error-free.
 */
export function measuredValue(results: RunResults, info: MetricInfo): number | undefined {
  return metricSamples(results, info) === 0 ? undefined : metricValue(results, info);
}

/** Samples behind a metric: the distribution's count, the server's, or the measured requests. */
export function metricSamples(results: RunResults, info: MetricInfo): number {
  if (info.kind === 'server') return results.server ? info.samples(results.server) : 0;
  return summarySamples(results.summary, info);
}

export function summarySamples(
  summary: RunSummary,
  info: Exclude<MetricInfo, ServerMetric>,
): number {
  return info.kind === 'percentile'
    ? summary.distributions[info.distribution].count
    : summary.requests;
}

/** The per-trial figure for a metric, when trials record it. */
export function trialValue(trial: TrialFigures, metric: string): number | undefined {
  const field = metricInfo(metric)?.trialField;
  return field === undefined ? undefined : trial[field];
}

/** One trial's figures, from its summary. */
export function trialFiguresOf(summary: RunSummary): TrialFigures {
  const perMetric: Partial<Record<TrialField, number>> = {};
  for (const info of publishedMetrics()) {
    if (info.kind === 'server' || info.trialField === undefined) continue;
    const value = summaryValue(summary, info);
    if (value !== undefined) perMetric[info.trialField] = value;
  }
  return {
    requests: summary.requests,
    failed: summary.failed,
    windowMs: summary.windowMs,
    errorRate: summary.errorRate,
    ...(perMetric as Record<TrialField, number>),
  };
}

const SERVER_LATENCY_FACTS: Record<
  (typeof SERVER_LATENCIES)[number],
  { label: string; aspect: Aspect }
> = {
  ttft: { label: 'TTFT', aspect: 'start' },
  queue_time: { label: 'Queue time', aspect: 'start' },
  itl: { label: 'ITL', aspect: 'decode' },
  tpot: { label: 'TPOT', aspect: 'decode' },
  e2e: { label: 'E2E', aspect: 'whole' },
};

const SERVER_STATISTICS = [
  ['p50', 'p50Ms'],
  ['p90', 'p90Ms'],
  ['p95', 'p95Ms'],
  ['p99', 'p99Ms'],
  ['mean', 'meanMs'],
] as const;

const SERVER_GAUGES = [
  ['requests_waiting', 'Requests waiting', 'requestsWaiting', 'count'],
  ['requests_running', 'Requests running', 'requestsRunning', 'count'],
  ['kv_cache_usage', 'KV-cache use', 'kvCacheUsage', 'fraction'],
] as const;

const scrapes = (view: ServerView) => view.scrapes;

/** `Server queue time p95` from `Queue time p95`; acronyms keep their case (`Server TTFT p95`). */
function serverLabel(viewLabel: string): string {
  const acronym = /^[A-Z]{2}/.test(viewLabel);
  return `Server ${acronym ? viewLabel : viewLabel[0]!.toLowerCase() + viewLabel.slice(1)}`;
}

function serverMetric(
  fields: Pick<ServerMetric, 'metric' | 'viewLabel' | 'unit' | 'direction' | 'read' | 'samples'> &
    Partial<Pick<ServerMetric, 'floor' | 'aspect'>>,
): ServerMetric {
  return {
    ...fields,
    label: serverLabel(fields.viewLabel),
    kind: 'server',
    minSamples: 1,
    countsTokens: false,
  };
}

const SERVER_METRICS: readonly ServerMetric[] = [
  ...SERVER_LATENCIES.flatMap((latency) =>
    SERVER_STATISTICS.map(([suffix, key]) =>
      serverMetric({
        metric: `server.${latency}.${suffix}`,
        viewLabel: `${SERVER_LATENCY_FACTS[latency].label} ${suffix}`,
        unit: 'ms',
        direction: 'higher-is-worse',
        aspect: SERVER_LATENCY_FACTS[latency].aspect,
        read: (view) => view.latency[latency]?.[key],
        samples: (view) => view.latency[latency]?.count ?? 0,
        ...(suffix === 'mean' ? {} : { floor: (view) => view.latency[latency]?.firstBucketMs }),
      }),
    ),
  ),
  ...SERVER_GAUGES.flatMap(([name, label, key, unit]) =>
    (['mean', 'max'] as const).map((statistic) =>
      serverMetric({
        metric: `server.${name}.${statistic}`,
        viewLabel: `${label} ${statistic}`,
        unit,
        direction: 'higher-is-worse',
        read: (view) => view[key]?.[statistic],
        samples: scrapes,
      }),
    ),
  ),
  serverMetric({
    metric: 'server.preemptions',
    viewLabel: 'Preemptions',
    unit: 'count',
    direction: 'higher-is-worse',
    read: (view) => view.preemptions,
    samples: scrapes,
  }),
  serverMetric({
    metric: 'server.prefix_cache_hit_rate',
    viewLabel: 'Prefix-cache hit rate',
    unit: 'fraction',
    direction: 'lower-is-worse',
    read: (view) => view.prefixCacheHitRate,
    samples: scrapes,
  }),
];

/** The server's figures the report's Server view shows, in its order. */
const SERVER_VIEW_ROWS = [
  'server.ttft.p50',
  'server.ttft.p95',
  'server.ttft.mean',
  'server.queue_time.p95',
  'server.queue_time.mean',
  'server.itl.p95',
  'server.itl.mean',
  'server.tpot.p95',
  'server.tpot.mean',
  'server.e2e.p95',
  'server.requests_waiting.mean',
  'server.requests_waiting.max',
  'server.requests_running.mean',
  'server.requests_running.max',
  'server.kv_cache_usage.mean',
  'server.kv_cache_usage.max',
  'server.preemptions',
  'server.prefix_cache_hit_rate',
];

/**
 * The Server view's rows: the server metrics above, then its token totals, shown to cross-check
 * the client's counts and not gated (their size is the workload's, not the server's speed).
 */
export function serverViewFigures(): Array<
  Pick<ServerMetric, 'viewLabel' | 'unit' | 'read' | 'floor'>
> {
  return [
    ...SERVER_VIEW_ROWS.map((name) => SERVER_METRICS.find((info) => info.metric === name)!),
    { viewLabel: 'Prompt tokens', unit: 'count', read: (view) => view.promptTokens },
    { viewLabel: 'Generated tokens', unit: 'count', read: (view) => view.generationTokens },
  ];
}

/** `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The distributions users may gate on, as error messages list them. */
export const DISTRIBUTION_NAMES_HINT = orList(
  Object.values(DISTRIBUTION_FACTS).flatMap((facts) => (facts.gated ? [facts.name] : [])),
);

/** The client metrics users may write, as error messages list them. */
export const METRIC_HINT = [
  `${DISTRIBUTION_NAMES_HINT} with ${orList(Object.keys(PERCENTILE_SUFFIXES).map((suffix) => `.${suffix}`))}`,
  ...RATE_METRICS.map(({ metric }) => {
    const aliases = Object.keys(ALIASES).filter((alias) => ALIASES[alias] === metric);
    return aliases.length > 0 ? `${metric} (${aliases.join(', ')})` : metric;
  }),
].join('; ');

/** The server metrics users may write, as error messages list them. */
export const SERVER_METRIC_HINT = [
  `${orList(SERVER_LATENCIES.map((latency) => `server.${latency}`))} with ${orList(SERVER_STATISTICS.map(([suffix]) => `.${suffix}`))}`,
  `${orList(SERVER_GAUGES.map(([name]) => `server.${name}`))} with .mean or .max`,
  'server.preemptions',
  'server.prefix_cache_hit_rate',
].join('; ');
