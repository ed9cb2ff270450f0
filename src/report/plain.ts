/**
 * Plain readings of the gate's statistics, for readers who do not speak p-values: how often
 * identical runs would differ this much, and where the true change most likely lies.
 */
import type { Finding, MetricCheck } from '../gate/index.js';
import { describeChange, SENSITIVITY_FIX, wordFinding } from './findings.js';
import { formatCount, formatSignedPercent } from '../format.js';

/** `3 of 100 identical runs`, `2 of 1,000 …`, `fewer than 1 of 10,000 …`. */
export function howOften(p: number): string {
  const runs = 'identical runs';
  if (p < 0.0001) return `fewer than 1 of 10,000 ${runs}`;
  for (const total of [100, 1000, 10_000]) {
    const count = Math.round(p * total);
    if (count >= 1)
      return `${formatCount(Math.min(count, total))} of ${formatCount(total)} ${runs}`;
  }
  return `1 of 10,000 ${runs}`;
}

function interval(check: MetricCheck): string {
  const range = check.statistics?.interval;
  if (!range) return '';
  return ` The true change is most likely between ${formatSignedPercent(range.low)} and ${formatSignedPercent(range.high)}.`;
}

/**
 * One line per finding for the report's "Why" list: a judged change in plain words (its
 * interval and p-value stay in the statistical evidence), every other finding as the gate
 * words it (an unhealthy run without the hint its next step gives).
 */
export function explainFinding(finding: Finding): string {
  const level = 'level' in finding && finding.level ? `${finding.level}: ` : '';
  if (finding.kind === 'regression' && finding.check.statistics) {
    const { check } = finding;
    return (
      `${level}${describeChange(check)}: not noise, a change this size shows up in ` +
      `${howOften(check.statistics!.p)}.${interval(check)}`
    );
  }
  if (finding.kind === 'noise' && finding.check.statistics) {
    const { check } = finding;
    return (
      `${level}${describeChange(check)}: could be noise, a change this size shows up in ` +
      `${howOften(check.statistics!.p)}, so it is not failed. To tell: ${SENSITIVITY_FIX}.`
    );
  }
  // Its hint is the report's next step: the "Why" keeps the reason, so it is said once.
  if (finding.kind === 'unhealthy') return `${finding.reason}.`;
  return wordFinding(finding);
}
