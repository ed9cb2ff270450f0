import { describe, expect, it } from 'vitest';
import {
  FORMULAS,
  headlineMetrics,
  metricInfo,
  trialFiguresOf,
} from '../../src/metrics/catalogue.js';
import { mergeShardResults } from '../../src/results/merge.js';
import { toGithubActionBenchmark } from '../../src/results/export.js';
import { DISTRIBUTIONS } from '../../src/domain/results.js';
import { buildResults } from '../helpers/results-fixture.js';

const RESULTS = buildResults({ requestRate: 4 });

describe('the metric catalogue', () => {
  it('adds TTFT from schedule to the headline in open loop only', () => {
    const names = (config: { requestRate?: number }) =>
      headlineMetrics(config).map((info) => info.metric);
    expect(names({})).not.toContain('ttft_from_schedule.p95');
    expect(names({ requestRate: 4 })).toContain('ttft_from_schedule.p95');
    expect(names({ requestRate: 4 }).slice(0, 4)).toEqual([
      'ttft.p50',
      'ttft.p95',
      'ttft.p99',
      'ttft_from_schedule.p95',
    ]);
  });

  it('records a formula for every distribution and every rate', () => {
    for (const distribution of DISTRIBUTIONS) expect(FORMULAS[distribution]).toBeTruthy();
    for (const figure of ['outputTokensPerSecond', 'requestsPerSecond', 'errorRate', 'goodput']) {
      expect(FORMULAS[figure], figure).toBeTruthy();
    }
  });

  it('says which percentiles need how many samples and which metrics rest on token counts', () => {
    const p99 = metricInfo('ttft.p99');
    expect(p99?.kind === 'percentile' && p99.suffix).toBe('p99');
    expect(p99?.minSamples).toBe(1000);
    expect(metricInfo('itl.p99.9')?.minSamples).toBe(10_000);
    expect(metricInfo('e2e.max')?.minSamples).toBe(Infinity);
    expect(metricInfo('tpot.p95')?.countsTokens).toBe(true);
    expect(metricInfo('tokens_per_second')?.countsTokens).toBe(true);
    expect(metricInfo('itl.p95')?.countsTokens).toBe(false);
    expect(metricInfo('schedule_delay.p95')).toBeUndefined();
    expect(metricInfo('ttft.p42')).toBeUndefined();
  });

  it('exports each exported metric once, in the direction the catalogue gives', () => {
    const exported = toGithubActionBenchmark({
      ...RESULTS,
      summary: { ...RESULTS.summary, goodputRequestsPerSecond: 3 },
    });
    const run = (entries: Array<{ name: string }>) =>
      entries.filter((entry) => !entry.name.includes('· class'));
    expect(run(exported.smallerIsBetter).map((entry) => entry.name.split(' - ')[1])).toEqual([
      'TTFT p50',
      'TTFT p95',
      'TTFT p99',
      'ITL p95',
      'TPOT p95',
      'E2E p95',
      'error rate',
    ]);
    expect(run(exported.biggerIsBetter).map((entry) => entry.name.split(' - ')[1])).toEqual([
      'output tokens/s',
      'requests/s',
      'goodput',
    ]);
  });

  it('merges per-trial TTFT from schedule across shards like the other percentiles', () => {
    const part = (index: number, scheduleP95: number) => {
      const results = structuredClone(RESULTS);
      results.config.shard = { index, count: 2 };
      const trial = { ...trialFiguresOf(results.summary), ttftFromScheduleP95Ms: scheduleP95 };
      results.trials = [trial, trial];
      return { path: `shard-${index}.json`, results };
    };
    const merged = mergeShardResults([part(1, 100), part(2, 300)]);
    expect(merged.trials.map((trial) => trial.ttftFromScheduleP95Ms)).toEqual([200, 200]);
  });
});
