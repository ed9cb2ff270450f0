import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateGate, parseThresholds } from '../../src/gate/index.js';
import { createRandom } from '../../src/random.js';
import { SERVER_FAMILIES } from '../../src/server-metrics/families.js';
import { parseExposition, histogramOf } from '../../src/server-metrics/parse.js';
import { histogramDelta, histogramQuantile } from '../../src/server-metrics/quantile.js';
import { startScraper } from '../../src/server-metrics/scraper.js';
import {
  summariseServer,
  tokenMismatch,
  type PhaseScrapes,
} from '../../src/server-metrics/summarise.js';
import type { ServerView } from '../../src/domain/server-view.js';
import { BatchEngine, type EngineObserver } from '../../src/simulator/engine.js';
import { EngineMetrics } from '../../src/simulator/metrics.js';
import { buildResults } from '../helpers/results-fixture.js';

const URL = 'http://127.0.0.1:1/metrics';

function fixture(name: string): string {
  return readFileSync(`test/fixtures/metrics/${name}.prom`, 'utf8');
}

/** One phase: nothing before it, the fixture after it. */
function phaseOf(text: string): PhaseScrapes {
  return {
    scrapes: [
      { atMs: 0, exposition: parseExposition('') },
      { atMs: 1000, exposition: parseExposition(text) },
    ],
    failures: [],
  };
}

function viewOf(name: string): ServerView {
  return summariseServer(URL, [phaseOf(fixture(name))]);
}

describe('parsing and summarising /metrics', () => {
  it("vLLM's older names, two engines' label sets summed, prometheus_client counters", () => {
    const view = viewOf('vllm-v0');
    expect(view.server).toBe('vllm');
    const ttft = view.latency.ttft!;
    expect(ttft.count).toBe(100);
    expect(ttft.meanMs).toBeCloseTo(100);
    // Buckets summed over engines: 40 ≤ 0.1 s, 80 ≤ 0.25 s, 100 ≤ 0.5 s.
    expect(ttft.p50Ms).toBeCloseTo(137.5);
    expect(ttft.p95Ms).toBeCloseTo(437.5);
    expect(ttft.p95BucketMs).toEqual([250, 500]);
    expect(view.latency.itl?.meanMs).toBeCloseTo(25);
    expect(view.latency.queue_time?.meanMs).toBeCloseTo(10);
    expect(view.requestsWaiting?.mean).toBe(3);
    expect(view.requestsRunning?.max).toBe(8);
    expect(view.kvCacheUsage?.mean).toBeCloseTo(0.6);
    expect(view.prefixCacheHitRate).toBeCloseTo(0.5);
    expect(view.preemptions).toBe(3);
    expect(view.promptTokens).toBe(10_000);
    expect(view.generationTokens).toBe(5000);
    expect(view.warnings).toEqual([]);
  });

  it('warns when the server counted tokens this run did not send', () => {
    const view = viewOf('vllm-v0');
    const client = { promptTokens: 10_000, generationTokens: 4000, failedRequests: 0 };
    expect(tokenMismatch(view, client)).toMatch(
      /generated tokens: server 5000 vs client 4000.*someone else/,
    );
    expect(tokenMismatch(view, { ...client, generationTokens: 5000 })).toBeUndefined();
  });

  it('SGLang', () => {
    const view = viewOf('sglang');
    expect(view.server).toBe('sglang');
    expect(view.latency.ttft?.p50Ms).toBeCloseTo(40);
    expect(view.latency.itl?.meanMs).toBeCloseTo((32 / 3100) * 1000);
    expect(view.latency.e2e?.p95Ms).toBeCloseTo(770);
    expect(view.requestsWaiting?.mean).toBe(4);
    expect(view.requestsRunning?.mean).toBe(12);
    expect(view.kvCacheUsage?.mean).toBeCloseTo(0.28);
    expect(view.prefixCacheHitRate).toBeCloseTo(0.4);
    expect([view.promptTokens, view.generationTokens]).toEqual([8000, 3200]);
  });

  it('TGI: token totals from the per-request length histograms', () => {
    const view = viewOf('tgi');
    expect(view.server).toBe('tgi');
    expect(view.latency.queue_time?.meanMs).toBeCloseTo(12);
    expect(view.latency.tpot?.meanMs).toBeCloseTo(15);
    expect(view.latency.tpot?.p50Ms).toBeCloseTo(10 + 10 * (40 / 80));
    expect(view.latency.e2e?.meanMs).toBeCloseTo(1200);
    expect(view.requestsWaiting?.mean).toBe(6);
    expect(view.requestsRunning?.mean).toBe(16);
    expect([view.promptTokens, view.generationTokens]).toEqual([12_000, 9000]);
  });

  it("llama.cpp's server: a mean time per token from its counters", () => {
    const view = viewOf('llamacpp');
    expect(view.server).toBe('llamacpp');
    expect(view.latency.tpot).toEqual({ count: 2000, meanMs: 25 });
    expect(view.requestsWaiting?.mean).toBe(3);
    expect(view.requestsRunning?.mean).toBe(2);
    expect(view.kvCacheUsage?.mean).toBeCloseTo(0.35);
    expect([view.promptTokens, view.generationTokens]).toEqual([6886, 2000]);
  });

  it('an unknown server gets each counter delta and each gauge', () => {
    const view = viewOf('unknown');
    expect(view.server).toBe('unknown');
    expect(view.generic?.counters).toEqual({ gateway_requests_total: 100 });
    expect(view.generic?.gauges.gateway_inflight?.mean).toBe(7);
    expect(view.generic?.gauges.gateway_temperature).toBeUndefined();
  });

  it('counts deltas between the first and last scrape, and a restart as a fresh start', () => {
    const start = histogramOf(
      parseExposition(fixture('sglang')),
      'sglang:time_to_first_token_seconds',
    )!;
    const doubled = {
      ...start,
      buckets: start.buckets.map((b) => ({ ...b, count: b.count * 2 })),
      count: 200,
      sum: 8,
    };
    expect(histogramDelta(start, doubled)).toEqual(start);
    expect(histogramDelta(doubled, start)).toEqual(start);
  });

  it('interpolates like histogram_quantile, and a rank in +Inf gives the highest bound', () => {
    const histogram = {
      buckets: [
        { le: 1, count: 10 },
        { le: 2, count: 10 },
        { le: Infinity, count: 20 },
      ],
      count: 20,
      sum: 30,
    };
    expect(histogramQuantile(0.25, histogram)?.value).toBeCloseTo(0.5);
    expect(histogramQuantile(0.9, histogram)).toEqual({ value: 2, lower: 2, upper: Infinity });
    expect(
      histogramQuantile(0.5, { ...histogram, buckets: [{ le: Infinity, count: 0 }] }),
    ).toBeUndefined();
  });

  it('the README table lists every name the families table reads', () => {
    const readme = readFileSync('README.md', 'utf8');
    const names = SERVER_FAMILIES.flatMap((entry) => [
      ...Object.values(entry.histograms).flat(),
      ...Object.values(entry.meanFromCounters ?? {}).flatMap((pair) => [pair.seconds, pair.per]),
      ...(entry.waiting ?? []),
      ...(entry.running ?? []),
      ...(entry.kvCacheUsage ?? []),
      ...(entry.preemptions ?? []),
      ...(entry.prefixCacheCounters ?? []).flatMap((pair) => [pair.hits, pair.queries]),
      ...(entry.prefixCacheHitRate ?? []),
      ...[...(entry.promptTokens ?? []), ...(entry.generationTokens ?? [])].map((source) =>
        'counter' in source ? source.counter : source.histogramSum,
      ),
    ]);
    expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('rejects text that is not the exposition format', () => {
    expect(() => parseExposition('metric{label=unquoted} 1')).toThrow();
  });
});

describe('the scraper', () => {
  it('turns a dead metrics URL into a warning, never an error', async () => {
    const logged: string[] = [];
    const scraper = await startScraper(
      'http://127.0.0.1:9/metrics',
      1000,
      (line) => logged.push(line),
      {
        timeoutMs: 500,
      },
    );
    const phase = await scraper.stop();
    expect(phase.scrapes).toEqual([]);
    expect(phase.failures).toHaveLength(2);
    expect(logged).toHaveLength(1);
    const view = summariseServer('http://127.0.0.1:9/metrics', [phase]);
    expect(view.warnings.join(' ')).toMatch(/2 of 2 scrapes .* failed.*no server view/);
  });
});

describe("the simulator's /metrics", () => {
  it('renders what its engine did in vLLM names, preemptions included', async () => {
    const metrics = new EngineMetrics('sim "quoted" model');
    const engine = new BatchEngine(
      {
        prefillBaseMs: 1,
        prefillMsPerToken: 0,
        decodeStepMs: 1,
        decodeStepMsPerSequence: 0,
        maxBatch: 4,
        jitter: 0,
        ttftScale: 1,
        itlScale: 1,
        kvCacheTokens: 100,
      },
      createRandom(1),
      { observer: metrics satisfies EngineObserver },
    );
    const finished = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<number>((resolve) => {
            let tokens = 0;
            engine.submit(30, 10, {
              onPrefilled: () => {},
              onToken: (_index, isLast) => {
                tokens += 1;
                if (isLast) resolve(tokens);
              },
            });
          }),
      ),
    );
    expect(finished).toEqual([10, 10, 10]);
    const view = summariseServer(URL, [
      phaseOf(
        metrics.render({
          waiting: engine.queued,
          running: engine.running,
          kvCacheUsage: engine.kvCacheUsage,
        }),
      ),
    ]);
    expect(view.server).toBe('vllm');
    expect(view.preemptions).toBeGreaterThan(0);
    expect(view.latency.ttft?.count).toBe(3);
    expect(view.latency.e2e?.count).toBe(3);
    expect(view.latency.itl?.count).toBe(27);
    expect(view.generationTokens).toBe(30);
    // Preempted sequences are prefilled again: more prompt tokens than were sent.
    expect(view.promptTokens).toBeGreaterThan(90);
  });
});

describe('server thresholds', () => {
  const withServer = (queueMs: number, preemptions: number) => {
    const results = buildResults();
    results.server = {
      ...viewOf('vllm-v0'),
      latency: { queue_time: { count: 100, meanMs: queueMs, p95Ms: queueMs * 2 } },
      preemptions,
    };
    return results;
  };

  it('parse and judge limits and relative changes without a noise test', () => {
    const thresholds = parseThresholds('server.queue_time.p95: +20%\nserver.preemptions: < 1');
    expect(thresholds.map((t) => [t.metric, t.kind])).toEqual([
      ['server.queue_time.p95', 'relative'],
      ['server.preemptions', 'limit'],
    ]);
    const gate = evaluateGate({
      baseline: withServer(10, 0),
      current: withServer(13, 2),
      thresholds,
    });
    const statuses = Object.fromEntries(
      gate.checks.filter((c) => c.metric.startsWith('server.')).map((c) => [c.metric, c.status]),
    );
    expect(statuses).toEqual({
      'server.queue_time.p95': 'regression',
      'server.preemptions': 'regression',
    });
    const calm = evaluateGate({
      baseline: withServer(10, 0),
      current: withServer(11, 0),
      thresholds,
    });
    expect(calm.checks.filter((c) => c.metric.startsWith('server.')).map((c) => c.status)).toEqual([
      'pass',
      'pass',
    ]);
  });

  it('are not judged, and say so, when the run has no server view', () => {
    const gate = evaluateGate({
      baseline: buildResults(),
      current: buildResults(),
      thresholds: parseThresholds('server.preemptions: < 1'),
    });
    expect(gate.checks.find((c) => c.metric === 'server.preemptions')?.status).toBe('insufficient');
  });

  it('name the server metrics when one is misspelt', () => {
    expect(() => parseThresholds('server.queue.p95: +20%')).toThrow(/server\.queue_time/);
  });
});
