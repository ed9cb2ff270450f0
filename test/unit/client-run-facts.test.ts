import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/client/types.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import { defaultThresholds } from '../../src/gate/thresholds.js';
import { RunRecorder } from '../../src/metrics/recorder.js';
import { warningsFor } from '../../src/results/build.js';
import type { RunResults } from '../../src/domain/results.js';
import { renderReport } from '../../src/report/markdown.js';
import { buildResults } from '../helpers/results-fixture.js';

/** What the client's facts become in results, gate and report: token counting, errors, reconnects. */

function record(index: number, overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    index,
    className: 'chat',
    ok: true,
    startMs: index * 10,
    scheduleDelayMs: 0,
    ttftMs: 50,
    e2eMs: 200,
    itlMs: [5, 5],
    outputTokens: 12,
    outputTokensEstimated: false,
    tokenCounting: 'usage',
    textEvents: 3,
    maxTokens: 16,
    ...overrides,
  };
}

function recorded(records: RequestRecord[]) {
  const recorder = new RunRecorder({ slo: {}, fixedLengthRequested: false });
  for (const entry of records) recorder.record(entry);
  return recorder.finish().summary;
}

const characters: Partial<RequestRecord> = {
  tokenCounting: 'characters',
  outputTokensEstimated: true,
};

describe('token counting in the summary', () => {
  it('is the least exact method any request needed', () => {
    expect(recorded([record(0), record(1)]).tokenCounting).toBe('usage');
    expect(recorded([record(0), record(1, { tokenCounting: 'tokenizer' })]).tokenCounting).toBe(
      'tokenizer',
    );
    const mixed = recorded([record(0, characters), record(1, { tokenCounting: 'tokenizer' })]);
    expect(mixed.tokenCounting).toBe('characters');
    expect(mixed.estimatedTokenRequests).toBe(1);
  });

  it('estimated tokens: a warning that names the method, and tokens/s and TPOT not judged', () => {
    const baseline = buildResults({ seed: 1 });
    const current = buildResults({ seed: 2 });
    current.summary = {
      ...current.summary,
      estimatedTokenRequests: 40,
      tokenCounting: 'characters',
    };
    const warning = warningsFor(current).find((entry) => entry.code === 'estimated-tokens');
    expect(warning?.message).toMatch(/4 characters per token .*not judged/);

    const thresholds = [
      ...defaultThresholds(),
      { ...defaultThresholds()[0]!, metric: 'tpot.p95', label: 'TPOT p95' },
    ];
    const result = evaluateGate({ baseline, current, thresholds });
    const status = (metric: string) =>
      result.checks.find((check) => check.metric === metric && check.threshold)?.status;
    expect(status('output_tokens_per_second')).toBe('insufficient');
    expect(status('tpot.p95')).toBe('insufficient');
    expect(status('ttft.p95')).not.toBe('insufficient');

    // Counted by the tokenizer: exact, judged as usual.
    const counted = buildResults({ seed: 2 });
    counted.summary = { ...counted.summary, tokenCounting: 'tokenizer' };
    const judged = evaluateGate({ baseline, current: counted, thresholds });
    expect(
      judged.checks.find((check) => check.metric === 'output_tokens_per_second' && check.threshold)
        ?.status,
    ).not.toBe('insufficient');
  });
});

describe('first errors and reconnects', () => {
  it('keeps the first message of each class', () => {
    const summary = recorded([
      record(0, { ok: false, errorClass: 'http_429', errorMessage: 'error event: slow down' }),
      record(1, { ok: false, errorClass: 'http_429', errorMessage: 'HTTP 429: second' }),
      record(2, { ok: false, errorClass: 'midstream', errorMessage: 'error event: CUDA OOM' }),
      record(3),
    ]);
    expect(summary.firstErrors).toEqual({
      http_429: 'error event: slow down',
      midstream: 'error event: CUDA OOM',
    });
    expect(recorded([record(0)]).firstErrors).toBeUndefined();
  });

  it('the report shows the first error of each class, escaped, and the reconnects', () => {
    const current: RunResults = buildResults({ failedPerClass: 2, errorClass: 'http_429' });
    current.summary = {
      ...current.summary,
      firstErrors: { http_429: 'error event (rate_limit_error): slow | down <b>' },
    };
    current.endpoint = {
      ...current.endpoint,
      connections: { reconnects: 37, reuseStopped: 'the server closed the connection' },
    };
    const markdown = renderReport({ mode: 'report', verdict: 'pass', current });
    expect(markdown).toContain('First error');
    expect(markdown).toContain(
      '| http\\_429 | 4 | 0.80% | chat: 2, summarize: 2 | error event (rate\\_limit\\_error): slow \\| down &lt;b&gt; |',
    );
    expect(markdown).toMatch(/reconnects: 37; reuse stopped: the server closed the connection/);
  });

  it('a run whose connections stopped being reused says so in a warning', () => {
    const current = buildResults();
    current.endpoint = {
      ...current.endpoint,
      connections: {
        reconnects: 12,
        reuseStopped: 'the server closed the connection after 9 of 10 responses',
      },
    };
    const warning = warningsFor(current).find((entry) => entry.code === 'connection-reuse');
    expect(warning?.message).toMatch(/after 9 of 10 responses .*12 reconnects/);
  });
});
