import { describe, expect, it } from 'vitest';
import { evaluateGate, resolveThresholds } from '../../src/gate/index.js';
import { escapeMarkdown } from '../../src/report/escape.js';
import { nextStep, nextStepMarkdown, nextStepText } from '../../src/report/next-steps.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { ReportInput } from '../../src/report/types.js';
import { trialFiguresOf } from '../../src/metrics/catalogue.js';
import type { RunResults } from '../../src/domain/results.js';
import { buildResults } from '../helpers/results-fixture.js';

/** Every outcome that is not a clean pass ends with the one setting that addresses it. */
const large = { requestsPerClass: 1000 };
// Three trials, as update-baseline records them: enough for the gate to see twice each threshold.
const baseline = buildResults({ seed: 1, ...large });
baseline.trials = [11, 12, 13].map((seed) =>
  trialFiguresOf(buildResults({ seed, ...large }).summary),
);

function gated(current: RunResults): ReportInput {
  const gate = evaluateGate({ baseline, current, thresholds: resolveThresholds('') });
  return { mode: 'gate', verdict: gate.verdict, current, baseline, gate };
}

function both(input: ReportInput) {
  const step = nextStep(input);
  return step
    ? { text: nextStepText(step), markdown: nextStepMarkdown(step, escapeMarkdown) }
    : undefined;
}

describe('nextStep', () => {
  it('no baseline: the update-baseline input or flag', () => {
    const current = buildResults({ seed: 2 });
    const step = both({ mode: 'gate', verdict: 'no-baseline', current });
    expect(step?.text).toMatch(/^Next: Record one: run with --mode update-baseline on the default/);
    expect(step?.markdown).toContain('`mode: update-baseline`');
  });

  it('no baseline with the cache as source: a default-branch run', () => {
    const current = buildResults({ seed: 2 });
    current.config.baselineSource = 'cache';
    expect(both({ mode: 'gate', verdict: 'no-baseline', current })?.text).toContain(
      'default branch saves the first baseline',
    );
  });

  it('inconclusive: half the concurrency, or half the rate in open loop', () => {
    const closed = buildResults({ seed: 2 });
    closed.config.concurrency = 32;
    expect(both({ mode: 'gate', verdict: 'inconclusive', current: closed })?.text).toContain(
      '--concurrency 16',
    );
    const open = buildResults({ seed: 2, requestRate: 5 });
    expect(both({ mode: 'gate', verdict: 'inconclusive', current: open })?.markdown).toContain(
      '`request-rate: 2.5`',
    );
  });

  it('a refused baseline: what the refusal calls for, never "lower the load"', () => {
    const current = buildResults({ seed: 2 });
    const refusedFor = (cause: 'errors' | 'noisy' | 'untrusted') =>
      both({
        mode: 'update-baseline',
        verdict: 'inconclusive',
        current,
        findings: [{ kind: 'baseline-refused', reason: 'refused', cause }],
      })?.text;
    expect(refusedFor('noisy')).toBe(
      `Next: To record a baseline the gate can see its thresholds with, raise --requests ${current.config.requests * 2}.`,
    );
    expect(refusedFor('errors')).toMatch(/^Next: Fix what fails/);
    expect(refusedFor('untrusted')).toBe('Next: Record the baseline again from a clean run.');
    for (const cause of ['noisy', 'errors', 'untrusted'] as const) {
      expect(refusedFor(cause)).not.toMatch(/bottleneck/);
    }
  });

  it('unhealthy: the run health hint; cancelled: run again', () => {
    const current = buildResults({ seed: 2 });
    current.health = { status: 'unhealthy', reason: 'http_401 ×10', hint: 'Check api-key.' };
    expect(both({ mode: 'gate', verdict: 'unhealthy', current })?.text).toBe(
      'Next: Check api-key.',
    );
    expect(both({ mode: 'gate', verdict: 'cancelled', current })?.text).toMatch(/Run again/);
  });

  it('inconclusive for want of sensitivity: more trials, not less load', () => {
    // One baseline trial: the gate cannot know how much whole runs vary, so it is blind at +10%.
    const single = buildResults({ seed: 1 });
    const current = buildResults({ seed: 2 });
    const gate = evaluateGate({ baseline: single, current, thresholds: resolveThresholds('') });
    const blind: ReportInput = {
      mode: 'gate',
      verdict: gate.verdict,
      current,
      baseline: single,
      gate,
    };
    expect(blind.verdict).toBe('inconclusive');
    expect(blind.gate?.findings.map((finding) => finding.kind)).toContain('low-sensitivity');
    expect(both(blind)?.text).toBe(
      'Next: To see a regression as small as the threshold, repeat the run: --trials 3.',
    );
    const bound = {
      ...blind,
      findings: [{ kind: 'client-bound' as const, side: 'current' as const, reasons: [] }],
    };
    expect(both(bound)?.text).toMatch(
      /^Next: The load generator was the bottleneck: lower the load, --concurrency 4/,
    );
  });

  it('regression: a new baseline if intended', () => {
    const input = gated(buildResults({ seed: 2, ttftMedianMs: 400 }));
    expect(input.verdict).toBe('regression');
    expect(both(input)?.text).toContain('--mode update-baseline');
  });

  it('a pass with a noise row: more trials; a clean pass: nothing', () => {
    const clean = gated(buildResults({ seed: 2, ...large }));
    expect(clean.verdict).toBe('pass');
    expect(clean.gate?.checks.some((check) => check.status === 'noise')).toBe(false);
    expect(nextStep(clean)).toBeUndefined();

    const noisy = {
      ...clean,
      gate: {
        ...clean.gate!,
        checks: clean.gate!.checks.map((check, index) =>
          index === 0 ? { ...check, status: 'noise' as const } : check,
        ),
      },
    };
    expect(both(noisy)?.text).toBe(
      'Next: To tell a change this size from noise, repeat the run: --trials 3.',
    );
    noisy.current.config.trials = 3;
    expect(both(noisy)?.markdown).toContain(`\`requests: ${noisy.current.config.requests * 2}\``);
  });

  it('the terminal report ends with it', () => {
    const current = buildResults({ seed: 2 });
    const text = renderTerminal({ mode: 'gate', verdict: 'no-baseline', current });
    expect(text.trimEnd().split('\n').at(-1)).toMatch(
      /^Next: Record one: run with --mode update-baseline/,
    );
    const clean = renderTerminal(gated(buildResults({ seed: 2, ...large })));
    expect(clean).not.toContain('Next:');
  });
});
