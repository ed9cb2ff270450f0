import type { RunResults, SweepLevel } from '../results/types.js';
import { evaluateGate } from './evaluate.js';
import type { GateResult, Threshold } from './types.js';

/** One sweep level seen as a run of its own, so the single-run gate can judge it. */
export function levelAsRun(results: RunResults, level: SweepLevel): RunResults {
  return {
    ...results,
    summary: level.summary,
    perClass: {},
    trials: [level.trial],
    histograms: { overall: level.histograms, perClass: {} },
    selfCheck: level.selfCheck,
    sweep: undefined,
  };
}

function levelName(results: RunResults, level: number): string {
  return results.sweep?.dimension === 'request-rate' ? `${level} req/s` : `c=${level}`;
}

/** The sweep's levels, baseline and current, must be the same list to be compared. */
export function sweepDifferences(baseline: RunResults, current: RunResults): string[] {
  const before = baseline.sweep;
  const after = current.sweep;
  if (!before && !after) return [];
  if (!before || !after) {
    return [
      `sweep differs: baseline ${before ? 'has' : 'has no'} sweep, current ${after ? 'has' : 'has no'}`,
    ];
  }
  const levels = (sweep: typeof before) =>
    `${sweep.dimension} ${sweep.levels.map((l) => l.level).join(',')}`;
  return levels(before) === levels(after)
    ? []
    : [`sweep levels differ: baseline ${levels(before)}, current ${levels(after)}`];
}

/**
 * Gates a sweep level by level against the baseline's curve: a regression at any level is a
 * regression, and a client-bound level makes the whole sweep inconclusive.
 */
export function evaluateSweep(
  baseline: RunResults,
  current: RunResults,
  thresholds: Threshold[],
): GateResult {
  const checks: GateResult['checks'] = [];
  const reasons: string[] = [];
  const verdicts: GateResult['verdict'][] = [];
  for (const level of current.sweep?.levels ?? []) {
    const before = baseline.sweep?.levels.find((candidate) => candidate.level === level.level);
    if (!before) continue;
    const name = levelName(current, level.level);
    const result = evaluateGate({
      baseline: levelAsRun(baseline, before),
      current: levelAsRun(current, level),
      thresholds,
    });
    verdicts.push(result.verdict);
    checks.push(...result.checks.map((check) => ({ ...check, label: `${name} ${check.label}` })));
    reasons.push(...result.reasons.map((reason) => `${name}: ${reason}`));
  }
  const verdict = verdicts.includes('inconclusive')
    ? 'inconclusive'
    : verdicts.includes('regression')
      ? 'regression'
      : 'pass';
  return { verdict, checks, reasons };
}
