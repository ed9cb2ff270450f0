import { describeKey } from '../domain/key.js';
import {
  percentileValue,
  publishedMetrics,
  summaryValue,
  type MetricInfo,
  type ServerMetric,
} from '../metrics/catalogue.js';
import type { ClassFigures, RunResults, RunSummary } from '../domain/results.js';

type ExportedMetric = Exclude<MetricInfo, ServerMetric>;

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
    figures: figuresOf(results.summary, results.summary),
    e2eMedianNs: e2eMedianNs(results.summary),
  };
  const classes = Object.entries(results.perClass).map(([className, figures]): Benchmark => ({
    benchmark: `${name} · class ${className}`,
    figures: figuresOf(figures),
    e2eMedianNs: e2eMedianNs(figures),
  }));
  return [run, ...classes].map((entry) => ({
    ...entry,
    figures: entry.figures.filter((figure) => Number.isFinite(figure.value)),
  }));
}

/**
 * The catalogue's exported metrics for a class (or, with the rates, for the whole run). Left
 * out when nothing was measured: a 0 would chart as a speed-up.
 */
function figuresOf(figures: ClassFigures, summary?: RunSummary): Figure[] {
  return publishedMetrics().flatMap((info): Figure[] => {
    const spec = info.exported;
    if (!spec || info.kind === 'server' || (!spec.perClass && !summary)) return [];
    const value = summary ? summaryValue(summary, info) : classValue(figures, info);
    const extra = extraOf(figures, info, summary);
    if (value === undefined || extra === undefined) return [];
    const better = info.direction === 'higher-is-worse' ? 'smaller' : 'bigger';
    return [{ slug: spec.slug, label: spec.label, unit: spec.unit, better, value, extra }];
  });
}

/** Per-class figures have no window: only latencies and the error rate exist there. */
function classValue(figures: ClassFigures, info: ExportedMetric): number | undefined {
  if (info.kind === 'percentile') return percentileValue(figures.distributions, info);
  return info.kind === 'error-rate' ? figures.errorRate : undefined;
}

/** What backs a figure, for the chart's tooltip; undefined when nothing does. */
function extraOf(
  figures: ClassFigures,
  info: ExportedMetric,
  summary: RunSummary | undefined,
): string | undefined {
  if (info.kind === 'percentile') {
    const count = figures.distributions[info.distribution].count;
    return count > 0 ? `${count} samples` : undefined;
  }
  if (info.kind === 'error-rate') {
    return figures.requests > 0
      ? `${figures.failed} of ${figures.requests} requests failed`
      : undefined;
  }
  if (!summary || summary.windowMs <= 0) return undefined;
  return `${summary.succeeded} requests in ${(summary.windowMs / 1000).toFixed(1)} s`;
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
