import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/**
 * One scrape of a Prometheus text exposition, reduced to what we read: each sample by its full
 * name (`vllm:prompt_tokens_total`, `vllm:time_to_first_token_seconds_bucket`) with its labels,
 * and each family's declared type.
 *
 * parse-prometheus-text-format does the lexing (label escapes, HELP/TYPE lines, timestamps). Its
 * grouping is not used as it is: it folds a histogram's series into one (the last label set's
 * buckets win, and `_count`/`_sum` are dropped whenever they carry labels, as vLLM's always do),
 * and prometheus_client's counters (`# TYPE x counter` over `x_total` samples) fall out of their
 * family. So every TYPE line is read here and then declared `untyped` to the library, which then
 * returns each sample name as a family of its own with all its labels intact.
 */
export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Declared types by family name (the name in the TYPE line). */
  types: Map<string, FamilyType>;
  /** Samples by sample name. */
  samples: Map<string, Sample[]>;
}

const TYPE_LINE = /^#\s*TYPE\s+(\S+)\s+(\S+)\s*$/;
const KNOWN_TYPES = new Set<FamilyType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Throws on text that is not the Prometheus text format (the scraper turns that into a warning). */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, FamilyType>();
  const lines = text.split('\n').map((line) => {
    const match = TYPE_LINE.exec(line.trim());
    if (!match) return line;
    const type = match[2]!.toLowerCase() as FamilyType;
    types.set(match[1]!, KNOWN_TYPES.has(type) ? type : 'untyped');
    return `# TYPE ${match[1]} untyped`;
  });
  const samples = new Map<string, Sample[]>();
  for (const family of parsePrometheusTextFormat(lines.join('\n'))) {
    const parsed = family.metrics.flatMap((metric) =>
      metric.value === undefined
        ? []
        : [{ labels: metric.labels ?? {}, value: sampleValue(metric.value) }],
    );
    if (parsed.length > 0)
      samples.set(family.name, [...(samples.get(family.name) ?? []), ...parsed]);
  }
  return { types, samples };
}

/** Go and Python clients write `+Inf`, `-Inf` and `NaN`, which Number() does not read. */
export function sampleValue(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '+Inf' || trimmed === 'Inf') return Infinity;
  if (trimmed === '-Inf') return -Infinity;
  return Number(trimmed);
}

/** The family a sample name belongs to, by the suffixes each type allows. */
export function familyOf(exposition: Exposition, sampleName: string): string {
  if (exposition.types.has(sampleName)) return sampleName;
  for (const suffix of ['_total', '_bucket', '_count', '_sum', '_created']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = sampleName.slice(0, -suffix.length);
    if (exposition.types.has(family)) return family;
  }
  return sampleName;
}

export interface HistogramSeries {
  /** Cumulative counts by upper bound, ascending, ending at +Inf. */
  buckets: Array<{ le: number; count: number }>;
  count: number;
  sum: number;
}

/**
 * A histogram summed over its label sets (engines, models): all series of one family share one
 * set of bucket bounds in every server we know, and bounds that differ are merged by value.
 */
export function histogramOf(exposition: Exposition, family: string): HistogramSeries | undefined {
  const bucketSamples = exposition.samples.get(`${family}_bucket`);
  if (!bucketSamples || bucketSamples.length === 0) return undefined;
  const byBound = new Map<number, number>();
  for (const sample of bucketSamples) {
    const le = sampleValue(sample.labels.le ?? '');
    if (Number.isNaN(le)) continue;
    byBound.set(le, (byBound.get(le) ?? 0) + sample.value);
  }
  const buckets = [...byBound.entries()]
    .sort(([a], [b]) => a - b)
    .map(([le, count]) => ({ le, count }));
  const total = (name: string) =>
    (exposition.samples.get(name) ?? []).reduce((sum, sample) => sum + sample.value, 0);
  const infinite = buckets.at(-1);
  return {
    buckets,
    count: exposition.samples.has(`${family}_count`)
      ? total(`${family}_count`)
      : infinite?.le === Infinity
        ? infinite.count
        : 0,
    sum: total(`${family}_sum`),
  };
}

/** A counter or gauge summed over its label sets; undefined when the server does not expose it. */
export function scalarOf(exposition: Exposition, sampleName: string): number | undefined {
  const samples = exposition.samples.get(sampleName);
  if (!samples || samples.length === 0) return undefined;
  return samples.reduce((sum, sample) => sum + sample.value, 0);
}
