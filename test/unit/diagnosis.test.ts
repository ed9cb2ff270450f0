import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/gate/diagnosis.js';
import type { GateResult, MetricCheck } from '../../src/domain/judgement.js';
import type { RunResults } from '../../src/domain/results.js';
import { SERVER_VIEW_SCHEMA, type ServerView } from '../../src/domain/server-view.js';
import { buildResults, type FixtureOptions } from '../helpers/results-fixture.js';

function results(options: FixtureOptions = {}): RunResults {
  return buildResults({ requestsPerClass: 200, ttftMedianMs: 100, itlMedianMs: 10, ...options });
}

function check(metric: string, gated: boolean, relativeDelta = 0.5): MetricCheck {
  return {
    metric,
    label: metric,
    unit: 'ms',
    current: 1,
    baseline: 1,
    relativeDelta,
    status: gated ? 'regression' : 'pass',
    ...(gated
      ? {
          threshold: {
            metric,
            kind: 'relative' as const,
            value: 0.1,
            direction: 'higher-is-worse' as const,
            source: `${metric}: +10%`,
          },
        }
      : {}),
  };
}

function gate(...checks: MetricCheck[]): GateResult {
  return { verdict: 'regression', checks, findings: [] };
}

function server(figures: {
  ttft: number;
  queue?: number;
  tpot?: number;
  waiting?: number;
}): ServerView {
  const distribution = (meanMs: number) => ({ count: 200, meanMs });
  return {
    schema: SERVER_VIEW_SCHEMA,
    server: 'vllm',
    serverLabel: 'vLLM',
    url: 'http://127.0.0.1:1/metrics',
    scrapes: 10,
    failedScrapes: 0,
    latency: {
      ttft: distribution(figures.ttft),
      ...(figures.queue !== undefined ? { queue_time: distribution(figures.queue) } : {}),
      ...(figures.tpot !== undefined ? { tpot: distribution(figures.tpot) } : {}),
    },
    ...(figures.waiting !== undefined
      ? { requestsWaiting: { mean: figures.waiting, min: 0, max: figures.waiting, samples: 10 } }
      : {}),
    warnings: [],
  };
}

describe('diagnose', () => {
  it('says nothing when no latency or throughput regressed or moved clearly', () => {
    expect(diagnose(results(), results(), gate(check('ttft.p95', false, 0.05)))).toBeUndefined();
    expect(diagnose(results(), results(), gate(check('error_rate', true)))).toBeUndefined();
  });

  it('names errors first', () => {
    const found = diagnose(
      results(),
      results({ failedPerClass: 10 }),
      gate(check('ttft.p95', true)),
    );
    expect(found?.cause).toBe('errors');
    expect(found?.evidence[0]).toMatch(/error rate 0\.00% → 5\.00% \(\+5\.00 pp\)/);
  });

  it('names output lengths for e2e and throughput, not for TTFT', () => {
    const longer = results({ outputTokens: 48 });
    expect(
      diagnose(results({ outputTokens: 32 }), longer, gate(check('e2e.p95', true)))?.cause,
    ).toBe('output-lengths');
    expect(
      diagnose(results({ outputTokens: 32 }), longer, gate(check('ttft.p95', true)))?.cause,
    ).not.toBe('output-lengths');
  });

  it('explains an ungated move only when it finds a cause, and says it was not gated', () => {
    const found = diagnose(
      results({ outputTokens: 32 }),
      results({ outputTokens: 48 }),
      gate(check('e2e.p95', false, 0.4)),
    );
    expect(found).toMatchObject({ cause: 'output-lengths', ungated: true });
    expect(found?.sentence).toMatch(/moved \(not gated\)/);
  });

  it('explains other output lengths as soon as e2e or a throughput got worse at all', () => {
    const found = diagnose(
      results({ outputTokens: 32 }),
      results({ outputTokens: 40 }),
      gate(check('e2e.p95', false, 0.05)),
    );
    expect(found).toMatchObject({ cause: 'output-lengths', ungated: true });
    expect(
      diagnose(
        results({ outputTokens: 32 }),
        results({ outputTokens: 40 }),
        gate(check('e2e.p95', false, -0.05)),
      ),
    ).toBeUndefined();
  });

  it('with the server view: queueing, prefill, decode and what lies between', () => {
    const withServer = (view: ServerView, options: FixtureOptions = {}) => ({
      ...results(options),
      server: view,
    });
    const base = withServer(server({ ttft: 90, queue: 5, tpot: 10 }));
    const cases: Array<[RunResults, string]> = [
      [withServer(server({ ttft: 180, queue: 95, tpot: 10 }), { ttftMedianMs: 190 }), 'queueing'],
      [withServer(server({ ttft: 180, queue: 5, tpot: 10 }), { ttftMedianMs: 190 }), 'prefill'],
      [
        withServer(server({ ttft: 90, queue: 5, tpot: 10 }), { ttftMedianMs: 190 }),
        'between-client-and-server',
      ],
    ];
    for (const [current, cause] of cases) {
      const found = diagnose(base, current, gate(check('ttft.p95', true)));
      expect(found?.cause, found?.sentence).toBe(cause);
      expect(found?.serverView).toBe(true);
    }
    const slowerDecode = withServer(server({ ttft: 90, queue: 5, tpot: 20 }), { itlMedianMs: 20 });
    expect(diagnose(base, slowerDecode, gate(check('output_tokens_per_second', true)))?.cause).toBe(
      'decode',
    );
  });

  it('names decode from the server ITL alone (vLLM without TPOT), TTFT flat', () => {
    const withItl = (itlMs: number, options: FixtureOptions = {}): RunResults => {
      const view = server({ ttft: 90, queue: 5 });
      view.latency.itl = { count: 4000, meanMs: itlMs };
      return { ...results(options), server: view };
    };
    const found = diagnose(
      withItl(4),
      withItl(8, { itlMedianMs: 20 }),
      gate(check('itl.p95', true), check('ttft.p95', false, 0.01)),
    );
    expect(found?.cause, found?.sentence).toBe('decode');
    expect(found?.evidence[0]).toMatch(/^server time per output token mean 4\.0 → 8\.0 ms/);
  });

  it('without a queue-time histogram, more waiting requests turn "prefill" into queueing', () => {
    const base = { ...results(), server: server({ ttft: 90, waiting: 0.2 }) };
    const queued = { ...results({ ttftMedianMs: 190 }), server: server({ ttft: 180, waiting: 6 }) };
    const slower = {
      ...results({ ttftMedianMs: 190 }),
      server: server({ ttft: 180, waiting: 0.3 }),
    };
    expect(diagnose(base, queued, gate(check('ttft.p95', true)))?.cause).toBe('queueing');
    expect(diagnose(base, slower, gate(check('ttft.p95', true)))?.cause).toBe('prefill');
  });

  it('from the client alone: TTFB, TTFT after the headers, decode; and it asks for metrics-url', () => {
    const base = results();
    const slower = results({ ttftMedianMs: 200 });
    const inside = diagnose(base, slower, gate(check('ttft.p95', true)));
    expect(inside?.cause).toBe('inside-server');
    expect(inside?.serverView).toBe(false);
    expect(inside?.sentence).toMatch(/metrics-url/);

    const proxied = results();
    proxied.summary.distributions.ttfb.meanMs += 90;
    proxied.summary.distributions.ttft.meanMs += 90;
    const between = diagnose(base, proxied, gate(check('ttft.p95', true)));
    expect(between?.cause).toBe('between-client-and-server');
    expect(between?.sentence).toMatch(/metrics-url would show/);

    const decode = diagnose(base, results({ itlMedianMs: 20 }), gate(check('itl.p95', true)));
    expect(decode?.cause).toBe('decode');
  });

  it('says why the client alone was read when metrics-url was set: thin metrics, or the baseline', () => {
    // llama.cpp's server exports counters: a TPOT mean, no TTFT or queue time.
    const thin: ServerView = {
      ...server({ ttft: 0 }),
      serverLabel: 'llama.cpp server',
      latency: {},
    };
    const decode = (baselineView?: ServerView, currentView?: ServerView) =>
      diagnose(
        { ...results(), ...(baselineView ? { server: baselineView } : {}) },
        { ...results({ itlMedianMs: 20 }), ...(currentView ? { server: currentView } : {}) },
        gate(check('itl.p95', true)),
      )?.sentence;
    expect(decode(thin, thin)).toMatch(
      /The split is the client's: the llama\.cpp server's metrics give no TTFT or queue time\.$/,
    );
    expect(decode(undefined, server({ ttft: 90 }))).toMatch(
      /The split is the client's: the baseline was recorded without metrics-url\.$/,
    );
    expect(decode()).toMatch(/From the client alone; metrics-url would show the server's side\.$/);
  });

  it("reads a TTFB that grew with the server's waiting requests as queueing (llama.cpp, one slot)", () => {
    const thin = (waiting: number): ServerView => ({
      ...server({ ttft: 0, waiting }),
      serverLabel: 'llama.cpp server',
      latency: {},
    });
    const queuedBeforeHeaders = results();
    queuedBeforeHeaders.summary.distributions.ttfb.meanMs += 50;
    queuedBeforeHeaders.summary.distributions.ttft.meanMs += 50;
    const found = diagnose(
      { ...results(), server: thin(0) },
      { ...queuedBeforeHeaders, server: thin(3) },
      gate(check('ttft.p95', true)),
    );
    expect(found?.cause).toBe('queueing');
    expect(found?.evidence).toContain('requests waiting mean 0.0 → 3.0');
    // The same TTFB rise without more waiting stays between client and server.
    const proxied = diagnose(
      { ...results(), server: thin(0) },
      { ...queuedBeforeHeaders, server: thin(0) },
      gate(check('ttft.p95', true)),
    );
    expect(proxied?.cause).toBe('between-client-and-server');
  });
});
