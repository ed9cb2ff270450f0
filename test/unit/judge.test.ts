import { describe, expect, it } from 'vitest';
import { EXIT_STATUS } from '../../src/exit-status.js';
import { judgeRun, judgementRecord, type JudgePolicy } from '../../src/gate/judge.js';
import {
  comparisonsWithoutBaselineWarnings,
  defaultThresholds,
  resolveThresholds,
} from '../../src/gate/thresholds.js';
import { trialFiguresOf } from '../../src/metrics/catalogue.js';
import { failureLine, headlineNote, wordFinding } from '../../src/report/findings.js';
import type { RunResults } from '../../src/domain/results.js';
import { SERVER_VIEW_SCHEMA, type ServerView } from '../../src/domain/server-view.js';
import { buildResults } from '../helpers/results-fixture.js';

const POLICY: JudgePolicy = {
  failOnRegression: true,
  failOnMissingBaseline: false,
  onLowSensitivity: 'inconclusive',
  baselineMaxErrorRate: 0.05,
  driftFloor: 0.03,
};

function judge(
  current: RunResults,
  mode: 'gate' | 'report' | 'update-baseline' = 'gate',
  baseline?: RunResults,
  policy: Partial<JudgePolicy> = {},
) {
  return judgeRun({
    mode,
    current,
    ...(baseline ? { baseline } : {}),
    thresholds: defaultThresholds(),
    policy: { ...POLICY, ...policy },
  });
}

describe('the one judge', () => {
  it('never judges an unhealthy or cancelled run, in any mode, and gives each its exit status', () => {
    const unhealthy = buildResults({ seed: 1 });
    unhealthy.health = {
      status: 'unhealthy',
      reason: 'every warm-up request failed (http 401 ×8)',
      hint: 'check api-key',
    };
    const cancelled = buildResults({ seed: 2 });
    cancelled.health = { status: 'cancelled', reason: '3 in-flight requests abandoned' };
    for (const mode of ['gate', 'report', 'update-baseline'] as const) {
      const sick = judge(unhealthy, mode, buildResults({ seed: 3 }));
      expect(sick.verdict).toBe('unhealthy');
      expect(sick.exitStatus).toBe(EXIT_STATUS.unhealthy);
      // Even with fail-on-regression off: an unmeasured run is never green.
      expect(judge(unhealthy, mode, undefined, { failOnRegression: false }).failed).toBe(true);
      expect(judge(cancelled, mode).verdict).toBe('cancelled');
      expect(judge(cancelled, mode).exitStatus).toBe(EXIT_STATUS.cancelled);
    }
    const sick = judge(unhealthy);
    expect(failureLine(sick, 'key')).toBe(
      'unhealthy: every warm-up request failed (http 401 ×8). check api-key',
    );
    expect(headlineNote(sick)).toBe('every warm-up request failed (http 401 ×8)');
    // After "Cancelled: not judged", the note says what is left, not "nothing judged" again.
    expect(headlineNote(judge(cancelled))).toBe('partial results kept');
  });

  it('passes, updates or finds no baseline only for a healthy run', () => {
    const healthy = buildResults({ seed: 4 });
    expect(judge(healthy, 'report').verdict).toBe('pass');
    expect(judge(healthy, 'update-baseline').verdict).toBe('updated');
    const none = judge(healthy, 'gate');
    expect(none.verdict).toBe('no-baseline');
    expect(none.exitStatus).toBe(EXIT_STATUS.ok);
    expect(judge(healthy, 'gate', undefined, { failOnMissingBaseline: true }).exitStatus).toBe(
      EXIT_STATUS.gateFailed,
    );
  });

  it('refuses a baseline from a client-bound run: inconclusive, exit 1 whatever the policy', () => {
    const bound = buildResults({ seed: 5 });
    bound.selfCheck = {
      ...bound.selfCheck,
      saturated: true,
      reasons: ['timer lag p99 80 ms > 50 ms'],
    };
    const update = judge(bound, 'update-baseline', undefined, { failOnRegression: false });
    expect(update.verdict).toBe('inconclusive');
    expect(update.exitStatus).toBe(EXIT_STATUS.gateFailed);
    expect(headlineNote(update)).toBe('the load generator was the bottleneck');
  });

  it('distrusts a baseline that was itself unhealthy', () => {
    const baseline = buildResults({ seed: 6 });
    baseline.health = { status: 'unhealthy', reason: 'every measured request failed' };
    const judged = judge(buildResults({ seed: 7 }), 'gate', baseline);
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.findings.map(wordFinding)[0]).toMatch(
      /^The baseline cannot be trusted: the run was unhealthy/,
    );
  });

  it('names an overloaded open loop in the headline and judges TTFT from schedule', () => {
    const current = buildResults({ seed: 8, requestRate: 20 });
    current.selfCheck = { ...current.selfCheck, requestedRate: 20, achievedRate: 13.8 };
    const judged = judge(current, 'report');
    expect(judged.verdict).toBe('pass');
    const overload = judged.findings.find((finding) => finding.kind === 'overloaded');
    expect(overload).toBeDefined();
    expect(wordFinding(overload!)).toMatch(
      /^Open loop fell behind: 13\.8 req\/s of 20(\.0)? req\/s requested/,
    );
    expect(headlineNote(judged)).toMatch(/^open loop fell behind \(13\.8 req\/s of 20/);
  });

  it('names every level of a rate sweep that fell behind, not only the first', () => {
    const current = buildResults({ seed: 9, requestRate: 4 });
    const level = (requestedRate: number, achievedRate: number) => ({
      level: requestedRate,
      summary: current.summary,
      histograms: current.histograms.overall,
      trial: current.trials[0]!,
      selfCheck: { ...current.selfCheck, requestedRate, achievedRate },
    });
    current.sweep = {
      dimension: 'request-rate',
      levels: [level(2, 2), level(8, 6.1), level(16, 7.9)],
    };
    const note = headlineNote(judge(current, 'report'));
    expect(note).toMatch(
      /^open loop fell behind at 8 req\/s \(6\.10? req\/s achieved\), 16 req\/s/,
    );
    expect(note).not.toMatch(/2 req\/s/);
  });
});

describe('a sweep', () => {
  it("diagnoses each level with that level's own server view", () => {
    const view = (queueMs: number): ServerView => ({
      schema: SERVER_VIEW_SCHEMA,
      server: 'vllm',
      serverLabel: 'vLLM',
      url: 'http://127.0.0.1:1/metrics',
      scrapes: 10,
      failedScrapes: 0,
      latency: {
        ttft: { count: 500, meanMs: 90 + queueMs },
        queue_time: { count: 500, meanMs: queueMs },
      },
      warnings: [],
    });
    const sweepOf = (run: RunResults, queueMs: [number, number]): RunResults => {
      const level = (concurrency: number, queue: number) => ({
        level: concurrency,
        summary: run.summary,
        histograms: run.histograms.overall,
        trial: trialFiguresOf(run.summary),
        selfCheck: run.selfCheck,
        server: view(queue),
      });
      // The top-level figures are the highest level's, as a sweep records them.
      return {
        ...run,
        server: view(queueMs[1]),
        sweep: { dimension: 'concurrency', levels: [level(4, queueMs[0]), level(16, queueMs[1])] },
      };
    };
    const baseline = sweepOf(buildResults({ seed: 1, ttftMedianMs: 100 }), [5, 5]);
    // Only the lower level queued more; the top level's server saw nothing move.
    const slower = buildResults({ seed: 2, ttftMedianMs: 300 });
    const current = sweepOf(slower, [205, 5]);
    current.sweep!.levels[1] = { ...baseline.sweep!.levels[1]!, server: view(5) };
    const judgement = judge(current, 'gate', baseline);
    expect(judgement.verdict).toBe('regression');
    expect(judgement.diagnoses.map(({ level, cause }) => [level, cause])).toEqual([
      ['c=4', 'queueing'],
    ]);
    expect(judgementRecord(judgement).diagnoses[0]?.sentence).toMatch(/server queue time mean/);
    // The level is named once: the check's label carries it.
    expect(failureLine(judgement, 'key')).toMatch(/^performance regression: c=4 TTFT p95 \+/);
  });
});

describe('a first run, with no baseline', () => {
  const judgeAlone = (current: RunResults, thresholds: string) =>
    judgeRun({
      mode: 'gate',
      current,
      thresholds: resolveThresholds(thresholds),
      policy: POLICY,
    });

  it('fails at an error rate above baseline-max-error-rate, and says which input set the bar', () => {
    // 3 classes × 100 requests, 11 failures each: 11%.
    const failing = buildResults({ seed: 5, requestsPerClass: 100, failedPerClass: 11 });
    const judgement = judgeAlone(failing, '');
    expect(judgement.verdict).toBe('regression');
    expect(judgement.exitStatus).toBe(EXIT_STATUS.gateFailed);
    const [check] = judgement.gate?.checks.filter((row) => row.threshold) ?? [];
    expect(check?.metric).toBe('error_rate');
    expect(check?.threshold?.source).toMatch(/baseline-max-error-rate/);
    expect(failureLine(judgement, 'key')).toMatch(/Error rate 11\.00%/);
    // Under the ceiling the run stands as "no baseline yet", its limit check shown as held.
    const clean = judgeAlone(
      buildResults({ seed: 5, requestsPerClass: 100, failedPerClass: 1 }),
      '',
    );
    expect(clean.verdict).toBe('no-baseline');
    expect(clean.gate?.checks.find((row) => row.threshold)?.status).toBe('pass');
  });

  it('judges every absolute limit the user set, and the user’s error-rate limit replaces the ceiling', () => {
    const run = buildResults({
      seed: 6,
      requestsPerClass: 150,
      failedPerClass: 3,
      ttftMedianMs: 40,
    });
    const strict = judgeAlone(run, 'error_rate: < 2%\nttft.p95: < 5ms\ne2e.p95: +10%');
    expect(strict.verdict).toBe('regression');
    const gated = strict.gate?.checks.filter((row) => row.threshold) ?? [];
    expect(gated.map((row) => [row.metric, row.status])).toEqual([
      ['ttft.p95', 'regression'],
      ['error_rate', 'regression'],
    ]);
    const loose = judgeAlone(run, 'error_rate: < 50%\nttft.p95: < 10s');
    expect(loose.verdict).toBe('no-baseline');
  });

  it('names the comparisons it could not apply yet in one warning that names the input', () => {
    const [warning, ...rest] = comparisonsWithoutBaselineWarnings(
      resolveThresholds('ttft.p99: < 800ms'),
      { baselineMaxErrorRate: 0.05 },
    );
    expect(rest).toEqual([]);
    expect(warning?.message).toMatch(/^thresholds "ttft\.p95: \+10% \(default\)"/);
    expect(warning?.message).toMatch(/judged now: "ttft\.p99: < 800ms", "error_rate: <= 5%/);
    expect(
      comparisonsWithoutBaselineWarnings(
        resolveThresholds('ttft.p95: off\noutput_tokens_per_second: off\nerror_rate: < 1%'),
        {
          baselineMaxErrorRate: 0.05,
        },
      ),
    ).toEqual([]);
  });
});
