import { describe, expect, it } from 'vitest';
import { describeKey } from '../../src/domain/key.js';
import { toBencherBmf, toGithubActionBenchmark } from '../../src/results/export.js';
import type { RunResults } from '../../src/domain/results.js';
import { buildResults } from '../helpers/results-fixture.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * https://bencher.dev/bmf.json: an object of benchmarks (name ≤ 1024 characters), each an object
 * of measures (slug ≤ 64 characters), each an object with a numeric `value` and optional numeric
 * `lower_value` / `upper_value`. Stricter than the schema: nothing else, and numbers are finite
 * (JSON has no NaN or Infinity).
 */
function bmfProblems(bmf: unknown): string[] {
  if (!isObject(bmf)) return ['not an object'];
  const problems: string[] = [];
  for (const [benchmark, measures] of Object.entries(bmf)) {
    if (benchmark.length === 0 || benchmark.length > 1024) problems.push(`name ${benchmark}`);
    if (!isObject(measures)) {
      problems.push(`${benchmark}: not an object`);
      continue;
    }
    for (const [measure, metric] of Object.entries(measures)) {
      const where = `${benchmark} / ${measure}`;
      if (measure.length === 0 || measure.length > 64) problems.push(`${where}: measure name`);
      if (!isObject(metric)) {
        problems.push(`${where}: not an object`);
        continue;
      }
      if (!isFiniteNumber(metric.value)) problems.push(`${where}: value`);
      for (const [field, value] of Object.entries(metric)) {
        if (!['value', 'lower_value', 'upper_value'].includes(field)) {
          problems.push(`${where}: unknown field ${field}`);
        } else if (!isFiniteNumber(value)) {
          problems.push(`${where}: ${field} not a finite number`);
        }
      }
    }
  }
  return problems;
}

/**
 * github-action-benchmark's custom JSON (README "Examples" and src/extract.ts, which keeps
 * name, value, unit, range and extra): an array of objects with string name and unit, a number
 * value and optional string range and extra. Stricter: nothing else, unique names.
 */
function benchmarkActionProblems(entries: unknown): string[] {
  if (!Array.isArray(entries)) return ['not an array'];
  const problems: string[] = [];
  const names = new Set<string>();
  for (const entry of entries as unknown[]) {
    if (!isObject(entry)) {
      problems.push('entry not an object');
      continue;
    }
    const where = String(entry.name);
    if (typeof entry.name !== 'string' || entry.name.length === 0) problems.push('name');
    if (names.has(where)) problems.push(`${where}: duplicate name`);
    names.add(where);
    if (typeof entry.unit !== 'string' || entry.unit.length === 0) problems.push(`${where}: unit`);
    if (!isFiniteNumber(entry.value)) problems.push(`${where}: value`);
    for (const field of ['range', 'extra']) {
      if (field in entry && typeof entry[field] !== 'string') problems.push(`${where}: ${field}`);
    }
    for (const field of Object.keys(entry)) {
      if (!['name', 'unit', 'value', 'range', 'extra'].includes(field)) {
        problems.push(`${where}: unknown field ${field}`);
      }
    }
  }
  return problems;
}

/** As written to disk and read back by the other tool. */
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const RESULTS = buildResults();
const RUN = describeKey(RESULTS.key);

describe('toBencherBmf', () => {
  const bmf = toBencherBmf(RESULTS);

  it('is valid BMF that survives JSON', () => {
    expect(bmfProblems(viaJson(bmf))).toEqual([]);
    expect(viaJson(bmf)).toEqual(bmf);
  });

  it('has one benchmark for the run and one per class', () => {
    expect(Object.keys(bmf)).toEqual([RUN, `${RUN} · class chat`, `${RUN} · class summarize`]);
  });

  it('carries the run figures under stable measure slugs', () => {
    const summary = RESULTS.summary;
    const d = summary.distributions;
    expect(bmf[RUN]).toEqual({
      'ttft-p50-ms': { value: d.ttft.p50Ms },
      'ttft-p95-ms': { value: d.ttft.p95Ms },
      'ttft-p99-ms': { value: d.ttft.p99Ms },
      'itl-p95-ms': { value: d.itl.p95Ms },
      'tpot-p95-ms': { value: d.tpot.p95Ms },
      'e2e-p95-ms': { value: d.e2e.p95Ms },
      'error-rate': { value: 0 },
      'output-tokens-per-second': { value: summary.outputTokensPerSecond },
      'requests-per-second': { value: summary.requestsPerSecond },
      latency: { value: Math.round(d.e2e.p50Ms * 1e6) },
    });
    expect(Number.isInteger(bmf[RUN]!.latency!.value)).toBe(true);
  });

  it('gives classes their latencies and error rate, not the run-wide rates', () => {
    expect(Object.keys(bmf[`${RUN} · class chat`]!).sort()).toEqual(
      [
        'e2e-p95-ms',
        'error-rate',
        'itl-p95-ms',
        'latency',
        'tpot-p95-ms',
        'ttft-p50-ms',
        'ttft-p95-ms',
        'ttft-p99-ms',
      ].sort(),
    );
  });

  it('leaves out latencies of nothing and figures that are not finite', () => {
    const failing = buildResults({ failedPerClass: 250 });
    failing.summary.outputTokensPerSecond = Number.NaN;
    const exported = toBencherBmf(failing);
    expect(bmfProblems(viaJson(exported))).toEqual([]);
    expect(exported[describeKey(failing.key)]).toEqual({
      'error-rate': { value: 1 },
      'requests-per-second': { value: failing.summary.requestsPerSecond },
    });
  });

  it('adds goodput when SLOs were set', () => {
    const withSlo: RunResults = {
      ...RESULTS,
      summary: { ...RESULTS.summary, goodputRequestsPerSecond: 7.5 },
    };
    expect(toBencherBmf(withSlo)[RUN]!['goodput-requests-per-second']).toEqual({ value: 7.5 });
  });
});

describe('toGithubActionBenchmark', () => {
  const exported = toGithubActionBenchmark(RESULTS);

  it('is valid customSmallerIsBetter / customBiggerIsBetter JSON', () => {
    expect(benchmarkActionProblems(viaJson(exported.smallerIsBetter))).toEqual([]);
    expect(benchmarkActionProblems(viaJson(exported.biggerIsBetter))).toEqual([]);
    expect(viaJson(exported)).toEqual(exported);
  });

  it('puts latencies and the error rate where smaller is better', () => {
    const d = RESULTS.summary.distributions;
    expect(exported.smallerIsBetter.filter((entry) => entry.name.startsWith(`${RUN} - `))).toEqual(
      [
        ['TTFT p50', d.ttft.p50Ms, d.ttft.count],
        ['TTFT p95', d.ttft.p95Ms, d.ttft.count],
        ['TTFT p99', d.ttft.p99Ms, d.ttft.count],
        ['ITL p95', d.itl.p95Ms, d.itl.count],
        ['TPOT p95', d.tpot.p95Ms, d.tpot.count],
        ['E2E p95', d.e2e.p95Ms, d.e2e.count],
      ]
        .map(([label, value, count]) => ({
          name: `${RUN} - ${label}`,
          unit: 'ms',
          value,
          extra: `${count} samples`,
        }))
        .concat({
          name: `${RUN} - error rate`,
          unit: 'fraction',
          value: 0,
          extra: '0 of 500 requests failed',
        }),
    );
    expect(exported.smallerIsBetter.map((entry) => entry.name)).toContain(
      `${RUN} · class summarize - TTFT p95`,
    );
  });

  it('puts throughput and goodput where bigger is better, noting caveats', () => {
    const summary = RESULTS.summary;
    const partial: RunResults = {
      ...RESULTS,
      partial: true,
      summary: { ...summary, goodputRequestsPerSecond: 7.5 },
    };
    const extra = '500 requests in 60.0 s\npartial run';
    expect(toGithubActionBenchmark(partial).biggerIsBetter).toEqual([
      {
        name: `${RUN} - output tokens/s`,
        unit: 'tokens/s',
        value: summary.outputTokensPerSecond,
        extra,
      },
      { name: `${RUN} - requests/s`, unit: 'requests/s', value: summary.requestsPerSecond, extra },
      { name: `${RUN} - goodput`, unit: 'requests/s', value: 7.5, extra },
    ]);
  });
});
