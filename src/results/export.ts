import { describeKey } from '../baseline/key.js';
import type { ClassFigures, DistributionName, RunResults, RunSummary } from './types.js';

/** One Bencher metric: https://bencher.dev/bmf.json requires `value`, allows the two bounds. */
export interface BmfMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}

/** Bencher Metric Format: benchmark name → measure slug → metric. */
export type BencherMetricFormat = Record<string, Record<string, BmfMetric>>;

/** One entry of github-action-benchmark's `customSmallerIsBetter` / `customBiggerIsBetter` JSON. */
export interface BenchmarkActionEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

/** One array per tool: the action reads one direction per file. */
export interface BenchmarkActionExport {
  smallerIsBetter: BenchmarkActionEntry[];
  biggerIsBetter: BenchmarkActionEntry[];
}

/** One exported figure, before it takes either format's shape. */
interface Figure {
  slug: string;
  label: string;
  unit: string;
  better: 'smaller' | 'bigger';
  value: number;
  extra: string;
}

/** The latency percentiles the gate checks by default, under stable slugs. */
const PERCENTILES: ReadonlyArray<{
  slug: string;
  label: string;
  distribution: DistributionName;
  percentile: 'p50Ms' | 'p95Ms' | 'p99Ms';
}> = [
  { slug: 'ttft-p50-ms', label: 'TTFT p50', distribution: 'ttft', percentile: 'p50Ms' },
  { slug: 'ttft-p95-ms', label: 'TTFT p95', distribution: 'ttft', percentile: 'p95Ms' },
  { slug: 'ttft-p99-ms', label: 'TTFT p99', distribution: 'ttft', percentile: 'p99Ms' },
  { slug: 'itl-p95-ms', label: 'ITL p95', distribution: 'itl', percentile: 'p95Ms' },
  { slug: 'tpot-p95-ms', label: 'TPOT p95', distribution: 'tpot', percentile: 'p95Ms' },
  { slug: 'e2e-p95-ms', label: 'E2E p95', distribution: 'e2e', percentile: 'p95Ms' },
];

/**
 * Bencher Metric Format: one benchmark for the run and one per prompt class, named by the
 * benchmark key so that runs Bencher would chart together are the runs the gate compares.
 * Besides our own measures, `latency` (Bencher's built-in measure, nanoseconds) carries the E2E
 * median so that a project's default plots show something useful without setup.
 */
export function toBencherBmf(results: RunResults): BencherMetricFormat {
  const bmf: BencherMetricFormat = {};
  for (const { benchmark, figures, e2eMedianNs } of benchmarks(results)) {
    const measures: Record<string, BmfMetric> = {};
    for (const figure of figures) measures[figure.slug] = { value: figure.value };
    if (e2eMedianNs !== undefined) measures.latency = { value: e2eMedianNs };
    bmf[benchmark] = measures;
  }
  return bmf;
}

/**
 * github-action-benchmark JSON: latencies and the error rate for `customSmallerIsBetter`,
 * throughput and goodput for `customBiggerIsBetter`. Names follow the action's
 * `<benchmark> - <metric>` convention.
 */
export function toGithubActionBenchmark(results: RunResults): BenchmarkActionExport {
  const exported: BenchmarkActionExport = { smallerIsBetter: [], biggerIsBetter: [] };
  const caveats = caveatsOf(results);
  for (const { benchmark, figures } of benchmarks(results)) {
    for (const figure of figures) {
      const entry: BenchmarkActionEntry = {
        name: `${benchmark} - ${figure.label}`,
        unit: figure.unit,
        value: figure.value,
        extra: [figure.extra, ...caveats].join('\n'),
      };
      (figure.better === 'smaller' ? exported.smallerIsBetter : exported.biggerIsBetter).push(
        entry,
      );
    }
  }
  return exported;
}

interface Benchmark {
  benchmark: string;
  figures: Figure[];
  e2eMedianNs: number | undefined;
}

function benchmarks(results: RunResults): Benchmark[] {
  const name = describeKey(results.key);
  const run: Benchmark = {
    benchmark: name,
    figures: [...classFigures(results.summary), ...rateFigures(results.summary)],
    e2eMedianNs: e2eMedianNs(results.summary),
  };
  const classes = Object.entries(results.perClass).map(([className, figures]): Benchmark => ({
    benchmark: `${name} · class ${className}`,
    figures: classFigures(figures),
    e2eMedianNs: e2eMedianNs(figures),
  }));
  return [run, ...classes].map((entry) => ({
    ...entry,
    figures: entry.figures.filter((figure) => Number.isFinite(figure.value)),
  }));
}

/** Latency percentiles (left out when nothing was measured: a 0 would chart as a speed-up). */
function classFigures(figures: ClassFigures): Figure[] {
  const latencies = PERCENTILES.flatMap(({ slug, label, distribution, percentile }): Figure[] => {
    const summary = figures.distributions[distribution];
    if (summary.count === 0) return [];
    const value = summary[percentile];
    return [
      { slug, label, unit: 'ms', better: 'smaller', value, extra: `${summary.count} samples` },
    ];
  });
  if (figures.requests === 0) return latencies;
  return [
    ...latencies,
    {
      slug: 'error-rate',
      label: 'error rate',
      unit: 'fraction',
      better: 'smaller',
      value: figures.errorRate,
      extra: `${figures.failed} of ${figures.requests} requests failed`,
    },
  ];
}

/** Per-second figures exist for the whole run only (classes share one window). */
function rateFigures(summary: RunSummary): Figure[] {
  if (summary.windowMs <= 0) return [];
  const extra = `${summary.succeeded} requests in ${(summary.windowMs / 1000).toFixed(1)} s`;
  const rate = (slug: string, label: string, unit: string, value: number): Figure => ({
    slug,
    label,
    unit,
    better: 'bigger',
    value,
    extra,
  });
  return [
    rate('output-tokens-per-second', 'output tokens/s', 'tokens/s', summary.outputTokensPerSecond),
    rate('requests-per-second', 'requests/s', 'requests/s', summary.requestsPerSecond),
    ...(summary.goodputRequestsPerSecond !== undefined
      ? [
          rate(
            'goodput-requests-per-second',
            'goodput',
            'requests/s',
            summary.goodputRequestsPerSecond,
          ),
        ]
      : []),
  ];
}

function e2eMedianNs(figures: ClassFigures): number | undefined {
  const e2e = figures.distributions.e2e;
  return e2e.count > 0 ? Math.round(e2e.p50Ms * 1e6) : undefined;
}

/** What a reader of a chart point should know about the run it came from. */
function caveatsOf(results: RunResults): string[] {
  return [
    ...(results.partial ? ['partial run'] : []),
    ...(results.selfCheck.saturated ? ['load generator saturated'] : []),
  ];
}
