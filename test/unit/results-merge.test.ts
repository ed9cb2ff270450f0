import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/client/types.js';
import type { ErrorClass } from '../../src/domain/request.js';
import type { Slo } from '../../src/domain/config.js';
import { ResultsError } from '../../src/errors.js';
import { trialFiguresOf } from '../../src/metrics/catalogue.js';
import { RunRecorder } from '../../src/metrics/recorder.js';
import { createRandom } from '../../src/random.js';
import { warningsFor } from '../../src/results/build.js';
import {
  describeShard,
  mergeShardResults,
  type ResultsPart,
  type Shard,
} from '../../src/results/merge.js';
import type { RunResults, TrialFigures } from '../../src/domain/results.js';
import { SERVER_VIEW_SCHEMA, type ServerView } from '../../src/domain/server-view.js';
import { buildResults } from '../helpers/results-fixture.js';

const SLO: Slo = { ttftMs: 260 };
const CLASSES = ['chat', 'code', 'summarize'];
const ERRORS: ErrorClass[] = ['http_429', 'timeout'];

/** A seeded request sequence: mixed classes, a few failures, some estimated token counts. */
function syntheticRecords(count: number): RequestRecord[] {
  const random = createRandom(7);
  return Array.from({ length: count }, (_, index) => {
    const className = CLASSES[index % CLASSES.length]!;
    const startMs = 1_000 + index * 15 + random.next() * 10;
    const maxTokens = 24 + (index % 3) * 8;
    if (random.next() < 0.03) {
      return {
        index,
        className,
        ok: false,
        errorClass: ERRORS[random.int(ERRORS.length)]!,
        startMs,
        scheduleDelayMs: 0,
        e2eMs: random.logNormal(80, 0.5),
        itlMs: [],
        outputTokens: 0,
        outputTokensEstimated: false,
        tokenCounting: 'usage' as const,
        textEvents: 0,
        maxTokens,
      };
    }
    const outputTokens = maxTokens - random.int(6);
    const ttftMs = random.logNormal(200, 0.3);
    const itlMs = Array.from({ length: outputTokens - 1 }, () => random.logNormal(12, 0.2));
    return {
      index,
      className,
      ok: true,
      startMs,
      scheduleDelayMs: 0,
      ttfbMs: ttftMs * 0.3,
      ttftMs,
      ttfoMs: ttftMs,
      e2eMs: ttftMs + itlMs.reduce((total, gap) => total + gap, 0),
      itlMs,
      outputTokens,
      outputTokensEstimated: index % 50 === 0,
      tokenCounting: index % 50 === 0 ? ('characters' as const) : ('usage' as const),
      inputTokens: 100 + (index % 7),
      textEvents: outputTokens,
      maxTokens,
    };
  });
}

/** Results as a run of these records would write them (the fixture supplies the rest). */
function resultsOf(records: readonly RequestRecord[], shard?: Shard): RunResults {
  const recorder = new RunRecorder({ slo: SLO, fixedLengthRequested: false });
  for (const record of records) recorder.record(record);
  const recorded = recorder.finish();
  const base = buildResults();
  const results: RunResults = {
    ...base,
    config: { ...base.config, slo: SLO, ...(shard ? { shard } : {}) },
    summary: recorded.summary,
    perClass: recorded.perClass,
    histograms: recorded.histograms,
    trials: [trialFiguresOf(recorded.summary)],
  };
  results.warnings = warningsFor(results);
  return results;
}

const RECORDS = syntheticRecords(2_000);
const UNSHARDED = resultsOf(RECORDS);

/** Round-robin split of the one request sequence over `count` shards, as the matrix runs it. */
function shardParts(count: number): ResultsPart[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `shard-${i + 1}.json`,
    results: resultsOf(
      RECORDS.filter((record) => record.index % count === i),
      { index: i + 1, count },
    ),
  }));
}

const PARTS = shardParts(4);

function rejection(parts: ResultsPart[]): string {
  try {
    mergeShardResults(parts);
  } catch (error) {
    expect(error).toBeInstanceOf(ResultsError);
    return (error as Error).message;
  }
  throw new Error('merge accepted parts it should reject');
}

/** A copy of one part with its results changed. */
function changed(part: ResultsPart, change: (results: RunResults) => void): ResultsPart {
  const results = structuredClone(part.results);
  change(results);
  return { path: part.path, results };
}

describe('mergeShardResults', () => {
  const merged = mergeShardResults([...PARTS].reverse());

  it('adds counts and token totals exactly', () => {
    const { summary } = merged;
    const expected = UNSHARDED.summary;
    for (const field of [
      'requests',
      'succeeded',
      'failed',
      'errorRate',
      'outputTokens',
      'inputTokens',
      'estimatedTokenRequests',
      'goodRequests',
    ] as const) {
      expect(summary[field], field).toBe(expected[field]);
    }
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.errorsByClass).toEqual(expected.errorsByClass);
    expect(summary.outputLength).toEqual(expected.outputLength);
  });

  it('gives the percentiles of the unsharded run (histograms add exactly)', () => {
    expect(merged.summary.distributions).toEqual(UNSHARDED.summary.distributions);
    expect(merged.histograms.overall).toEqual(UNSHARDED.histograms.overall);
    expect(Object.keys(merged.perClass)).toEqual(CLASSES);
    expect(merged.perClass).toEqual(UNSHARDED.perClass);
    expect(merged.histograms.perClass).toEqual(UNSHARDED.histograms.perClass);
  });

  it('takes the union of the windows and recomputes the rates over it', () => {
    const { summary } = merged;
    const expected = UNSHARDED.summary;
    expect(summary.windowStartEpochMs).toBe(expected.windowStartEpochMs);
    expect(summary.windowEndEpochMs).toBe(expected.windowEndEpochMs);
    // Epoch bounds are whole milliseconds; the recorder's window is not.
    expect(Math.abs(summary.windowMs - expected.windowMs)).toBeLessThanOrEqual(1);
    const close = (actual: number, wanted: number) =>
      expect(Math.abs(actual / wanted - 1)).toBeLessThan(1e-3);
    close(summary.outputTokensPerSecond, expected.outputTokensPerSecond);
    close(summary.inputTokensPerSecond, expected.inputTokensPerSecond);
    close(summary.requestsPerSecond, expected.requestsPerSecond);
    close(summary.goodputRequestsPerSecond!, expected.goodputRequestsPerSecond!);
    expect(merged.trials).toEqual([trialFiguresOf(summary)]);
  });

  it('stands for the whole plan: no shard in its config, warnings recomputed', () => {
    expect(merged.config.shard).toBeUndefined();
    expect(merged.config.resultsPath).toBe(PARTS[0]!.results.config.resultsPath);
    expect(merged.warmup).toEqual({ requests: 40, failed: 0 });
    const codes = (results: RunResults) => results.warnings.map((warning) => warning.code);
    expect(codes(merged)).toEqual(codes(UNSHARDED));
    const { http_429, timeout } = UNSHARDED.summary.errorsByClass;
    expect(merged.warnings.find((warning) => warning.code === 'errors')?.message).toBe(
      `${UNSHARDED.summary.failed} of 2000 measured requests failed (http_429 ${http_429}, timeout ${timeout}).`,
    );
  });

  it('marks the plan saturated when one shard was, naming the shard', () => {
    const parts = PARTS.map((part, i) =>
      i === 2
        ? changed(part, (results) => {
            results.selfCheck = {
              ...results.selfCheck,
              eventLoopUtilization: 0.95,
              saturated: true,
              reasons: ['event-loop utilization 95% > 90%'],
            };
          })
        : part,
    );
    const result = mergeShardResults(parts);
    expect(result.selfCheck.saturated).toBe(true);
    expect(result.selfCheck.eventLoopUtilization).toBe(0.95);
    expect(result.selfCheck.reasons).toEqual(['shard 3/4: event-loop utilization 95% > 90%']);
    expect(result.warnings.map((warning) => warning.code)).toContain('saturated-client');
  });

  it('adds reconnects up and keeps a stop of connection reuse from any shard', () => {
    const parts = PARTS.map((part, i) =>
      changed(part, (results) => {
        results.endpoint.connections = {
          reconnects: i + 1,
          ...(i === 2 ? { reuseStopped: 'the server closed 8 of 10 connections' } : {}),
        };
      }),
    );
    expect(mergeShardResults(parts).endpoint.connections).toEqual({
      reconnects: 1 + 2 + 3 + 4,
      reuseStopped: 'the server closed 8 of 10 connections',
    });
  });

  it("keeps the server's view once: every shard scraped the one server", () => {
    const view: ServerView = {
      schema: SERVER_VIEW_SCHEMA,
      server: 'vllm',
      serverLabel: 'vLLM',
      url: 'http://127.0.0.1:1/metrics',
      scrapes: 10,
      failedScrapes: 0,
      latency: { queue_time: { count: 2_000, meanMs: 12 } },
      warnings: [],
    };
    const scraped = PARTS.map((part) =>
      changed(part, (results) => {
        results.config.metricsUrl = view.url;
        results.server = view;
      }),
    );
    const together = mergeShardResults(scraped);
    // Each shard saw the whole server: its queue served all 2,000 requests, not 4 × 2,000.
    expect(together.server?.latency.queue_time?.count).toBe(2_000);

    // A shard whose scrapes failed has no view; another shard's view of the server stands.
    const oneFailed = [
      changed(PARTS[0]!, (results) => {
        results.config.metricsUrl = view.url;
      }),
      ...scraped.slice(1),
    ];
    expect(mergeShardResults(oneFailed).server).toEqual(view);
  });

  it("checks the server's token totals against all shards, not one shard's slice", () => {
    const total = (key: 'inputTokens' | 'outputTokens') =>
      PARTS.reduce((sum, part) => sum + part.results.summary[key], 0);
    // The server counted every shard's tokens; the last shard's scrape ended a little early.
    const scraped = PARTS.map((part, index) =>
      changed(part, (results) => {
        // Failed requests make the client's totals incomplete: the cross-check needs none.
        results.summary.failed = 0;
        results.config.metricsUrl = 'http://127.0.0.1:1/metrics';
        results.server = {
          schema: SERVER_VIEW_SCHEMA,
          server: 'vllm',
          serverLabel: 'vLLM',
          url: 'http://127.0.0.1:1/metrics',
          scrapes: 10,
          failedScrapes: 0,
          latency: {},
          promptTokens: total('inputTokens'),
          generationTokens: total('outputTokens') - (index === 3 ? 5 : 0),
          warnings: [],
        };
      }),
    );
    // One shard alone: the server counted three other shards' tokens.
    const alone = warningsFor(scraped[0]!.results).map((warning) => warning.message);
    expect(alone.join('\n')).toMatch(/someone else is using the server/);
    const together = mergeShardResults(scraped);
    expect(together.summary.failed).toBe(0);
    expect(together.server?.generationTokens).toBe(total('outputTokens'));
    expect(together.warnings.filter((warning) => warning.code === 'server-metrics')).toEqual([]);
  });

  it('lets shards differ in job-local settings such as the results path', () => {
    const parts = PARTS.map((part, i) =>
      changed(part, (results) => {
        results.config.resultsPath = `out/shard-${i + 1}.json`;
      }),
    );
    expect(mergeShardResults(parts).summary.requests).toBe(2_000);
  });

  it('combines several trials by index, approximately', () => {
    const trial = (requests: number, windowMs: number, ttftP95Ms: number): TrialFigures => ({
      ...trialFiguresOf(UNSHARDED.summary),
      requests,
      failed: 0,
      windowMs,
      outputTokensPerSecond: (requests * 10) / (windowMs / 1000),
      requestsPerSecond: requests / (windowMs / 1000),
      ttftP95Ms,
      errorRate: 0,
    });
    const parts = PARTS.slice(0, 2).map((part, i) =>
      changed(part, (results) => {
        results.config.shard = { index: i + 1, count: 2 };
        results.trials = [trial(100, 10_000 + i * 1_000, 200 + i * 100), trial(100, 9_000, 250)];
      }),
    );
    const [first, second] = mergeShardResults(parts).trials;
    expect(first).toMatchObject({ requests: 200, failed: 0, windowMs: 11_000, ttftP95Ms: 250 });
    expect(first!.outputTokensPerSecond).toBeCloseTo(2_000 / 11, 9);
    expect(first!.requestsPerSecond).toBeCloseTo(200 / 11, 9);
    expect(second).toMatchObject({ requests: 200, windowMs: 9_000, ttftP95Ms: 250 });
  });

  it('merges a single shard of one', () => {
    const only = { path: 'only.json', results: resultsOf(RECORDS, { index: 1, count: 1 }) };
    expect(mergeShardResults([only]).summary.distributions).toEqual(
      UNSHARDED.summary.distributions,
    );
  });
});

describe('mergeShardResults rejects runs that are not the shards of one plan', () => {
  it('a missing shard', () => {
    expect(rejection([PARTS[0]!, PARTS[1]!, PARTS[3]!])).toBe(
      'results: shard 3/4 is missing (found 1/4, 2/4, 4/4); merge needs every shard',
    );
  });

  it('a duplicate shard', () => {
    const again = { ...PARTS[1]!, path: 'copy-of-shard-2.json' };
    expect(rejection([...PARTS, again])).toBe(
      'results copy-of-shard-2.json: shard 2/4 is also in shard-2.json',
    );
  });

  it('a different seed', () => {
    const parts = PARTS.map((part, i) =>
      i === 2 ? changed(part, (results) => void (results.config.seed = 7)) : part,
    );
    expect(rejection(parts)).toBe('results shard-3.json: seed 7 ≠ 42 in shard-1.json');
  });

  it('a different plan setting, however nested', () => {
    const parts = PARTS.map((part, i) =>
      i === 1
        ? changed(part, (results) => void (results.config.extraBody = { ignore_eos: false }))
        : part,
    );
    expect(rejection(parts)).toBe(
      'results shard-2.json: extraBody {"ignore_eos":false} ≠ {"ignore_eos":true} in shard-1.json',
    );
  });

  it('a different key', () => {
    const parts = PARTS.map((part, i) =>
      i === 3 ? changed(part, (results) => void (results.key.hardware = 'a100x1')) : part,
    );
    expect(rejection(parts)).toBe(
      'results shard-4.json: hardware "a100x1" ≠ "h100x1" in shard-1.json',
    );
  });

  it('a different shard count', () => {
    const parts = PARTS.map((part, i) =>
      i === 1
        ? changed(part, (results) => void (results.config.shard = { index: 2, count: 3 }))
        : part,
    );
    expect(rejection(parts)).toBe('results shard-2.json: shard count 3 ≠ 4 in shard-1.json');
  });

  it('a shard index out of range', () => {
    const parts = PARTS.map((part, i) =>
      i === 3
        ? changed(part, (results) => void (results.config.shard = { index: 5, count: 4 }))
        : part,
    );
    expect(rejection(parts)).toBe('results shard-4.json: shard 5/4 is not one of 1..4');
  });

  it('a run that is not a shard', () => {
    expect(rejection([...PARTS, { path: 'plain.json', results: UNSHARDED }])).toBe(
      'results plain.json: not a shard (its config has no shard); merge takes the files of one sharded run',
    );
  });

  it('nothing to merge', () => {
    expect(rejection([])).toBe('no results files to merge');
  });
});

describe('describeShard', () => {
  it('reads index/count', () => {
    expect(describeShard({ index: 2, count: 4 })).toBe('2/4');
  });
});
