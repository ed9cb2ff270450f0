import type { Finding, Judgement, MetricCheck } from '../gate/index.js';
import { BLIND_FACTOR } from '../gate/detectable.js';
import { BLIND_SPOTS } from '../gate/verdict.js';
import {
  formatCheckDelta,
  formatCount,
  formatDetectable,
  formatMs,
  formatRequestsPerSecond,
  formatThreshold,
  formatValue,
} from '../format.js';

/**
 * The words for the judge's findings: the one place that turns a verdict's reasons into text, for
 * the report's "Why" list, its headline and the one-line failure message alike.
 */

/** The cheapest ways to make a comparison sensitive enough, in the order users can afford. */
export const SENSITIVITY_FIX =
  'raise requests, add trials to this run, or rebuild the baseline with more baseline-trials';

/** Paired A/B has no drift floor: the pairs' noise shrinks with every request. */
const PAIRED_SENSITIVITY_FIX = 'raise requests: paired with the reference, more pairs always help';

/** `c=8: ` before a sweep level's finding, unless its check's label already starts with it. */
function at(finding: Finding): string {
  if (!('level' in finding) || !finding.level) return '';
  const named = 'check' in finding && finding.check.label.startsWith(`${finding.level} `);
  return named ? '' : `${finding.level}: `;
}

/** `TTFT p95 +34.7% (allowed ≤ +10%)`; a limit shows the value: `TTFT p95 912 ms (allowed < 800 ms)`. */
export function describeChange(check: MetricCheck): string {
  const allowed = check.threshold
    ? ` (allowed ${formatThreshold(check.threshold, check.unit)})`
    : '';
  const change =
    check.threshold?.kind === 'limit'
      ? formatValue(check.current, check.unit)
      : formatCheckDelta(check);
  return `${check.label} ${change}${allowed}`;
}

/** `could detect ≥ +43%` for a check that carries what it could detect. */
export function describeDetectable(check: MetricCheck): string | undefined {
  if (!check.detectable || !check.threshold) return undefined;
  const { floor } = check.detectable;
  const never =
    floor !== undefined
      ? `; a stored baseline never sees less than ${formatDetectable(floor, check.threshold, check.unit)} (run-to-run drift)`
      : '';
  return `could detect ${detectableAt(check.detectable, check.threshold, check.unit)}${never}`;
}

/** `≥ +20% at 2,000 requests`: the change a design catches 95 times in 100, at its budget. */
function detectableAt(
  detectable: NonNullable<MetricCheck['detectable']>,
  threshold: NonNullable<MetricCheck['threshold']>,
  unit: MetricCheck['unit'],
): string {
  const at =
    detectable.requests !== undefined ? ` at ${formatCount(detectable.requests)} requests` : '';
  return `${formatDetectable(detectable.change, threshold, unit)}${at}`;
}

/**
 * What to do about a blind comparison. When drift alone keeps it blind, more requests or trials
 * of this run cannot help: only a larger threshold or a reference measured at the same time can.
 */
function sensitivityFix(check: MetricCheck): string {
  const { detectable, threshold } = check;
  if (detectable?.paired) return PAIRED_SENSITIVITY_FIX;
  if (!detectable || !threshold || detectable.floor === undefined) return SENSITIVITY_FIX;
  if (detectable.floor <= BLIND_FACTOR * threshold.value) return SENSITIVITY_FIX;
  return (
    `run-to-run drift (drift-floor) keeps this baseline from seeing less than ` +
    `${formatDetectable(detectable.floor, threshold, check.unit)} however many requests: rebuild it with ` +
    'more baseline-trials, raise the threshold to that, or compare with a reference deployment ' +
    'measured in the same time window'
  );
}

/** One line per finding, for the report's "Why" list. */
export function wordFinding(finding: Finding): string {
  const prefix = at(finding);
  switch (finding.kind) {
    case 'regression': {
      const { check } = finding;
      const allowed = check.threshold ? formatThreshold(check.threshold, check.unit) : '';
      return check.threshold?.kind === 'limit'
        ? `${prefix}${check.label} broke its limit (${allowed}): ${check.evidence ?? ''}.`
        : `${prefix}${check.label} regressed beyond ${allowed}: ${check.evidence ?? ''}.`;
    }
    case 'noise': {
      const { check } = finding;
      const allowed = check.threshold ? formatThreshold(check.threshold, check.unit) : '';
      const detect = describeDetectable(check);
      return (
        `${prefix}${check.label} moved beyond ${allowed} but this comparison cannot tell that from noise ` +
        `(${check.evidence ?? ''}${detect ? `; it ${detect}` : ''}): not failed; ${SENSITIVITY_FIX}.`
      );
    }
    case 'not-judged':
      return `${prefix}${finding.check.label} not judged: ${finding.check.evidence ?? 'no figure'}.`;
    case 'low-sensitivity': {
      const { check } = finding;
      const allowed = check.threshold ? formatThreshold(check.threshold, check.unit) : '';
      const detectable = check.detectable;
      const change =
        detectable && check.threshold ? detectableAt(detectable, check.threshold, check.unit) : '';
      return (
        `${prefix}${check.label} could only detect a change ${change} ` +
        `against a threshold of ${allowed}: a regression of that size would pass unseen; ${sensitivityFix(check)}.`
      );
    }
    case 'client-bound':
      return (
        `${prefix}The load generator, not the endpoint, limited ${finding.side === 'baseline' ? 'the baseline run' : 'this run'}` +
        `${finding.reasons.length > 0 ? ` (${finding.reasons.join('; ')})` : ''}: its latencies are not trusted; ` +
        'lower concurrency or request-rate, or use a bigger runner.'
      );
    case 'overloaded':
      return (
        `${prefix}Open loop fell behind: ${formatRequestsPerSecond(finding.achievedRate)} of ` +
        `${formatRequestsPerSecond(finding.requestedRate)} requested; requests left up to ` +
        `${formatMs(finding.scheduleDelayMaxMs)} late (p95 ${formatMs(finding.scheduleDelayP95Ms)}). ` +
        'TTFT from the scheduled time is what users felt, and it is what the gate judges in open loop.'
      );
    case 'shards-apart':
      return `${finding.reason}.`;
    case 'baseline-refused':
      return `baseline not updated: ${finding.reason}; a baseline must be a clean run.`;
    case 'baseline-untrusted':
      return `The baseline cannot be trusted: ${finding.reason}; rebuild it with mode update-baseline.`;
    case 'unhealthy':
      return `${finding.reason}${finding.hint ? `. ${finding.hint}` : ''}.`;
    case 'cancelled':
      return `The run was cancelled${finding.reason ? ` (${finding.reason})` : ''}: what was measured is kept in the results file and nothing was judged.`;
  }
}

/** Findings in the order a reader needs them: what failed first, context last. */
const ORDER: Record<Finding['kind'], number> = {
  cancelled: 0,
  unhealthy: 1,
  regression: 2,
  'client-bound': 3,
  'baseline-untrusted': 4,
  'shards-apart': 4,
  'baseline-refused': 4,
  'not-judged': 5,
  'low-sensitivity': 6,
  noise: 7,
  overloaded: 8,
};

export function orderFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
}

/**
 * What the headline says after the verdict when the verdict alone would mislead: why a run is
 * not judged or inconclusive, or that a pass could not see everything it guards.
 */
export function headlineNote(
  judgement: Pick<Judgement, 'verdict' | 'findings'>,
): string | undefined {
  const findings = orderFindings(judgement.findings);
  const first = (kind: Finding['kind']) => findings.find((finding) => finding.kind === kind);
  const stopped = first('cancelled') ?? first('unhealthy');
  if (stopped) {
    return stopped.kind === 'unhealthy' ? stopped.reason : 'partial results kept';
  }
  if (judgement.verdict === 'regression') return undefined;
  const bound = first('client-bound');
  if (bound) return 'the load generator was the bottleneck';
  const untrusted = first('baseline-untrusted');
  if (untrusted) return 'the baseline cannot be trusted';
  if (first('shards-apart')) return 'the shards did not run together';
  if (first('baseline-refused')) return 'the baseline was not updated';
  const blind = findings.filter((finding) => BLIND_SPOTS.has(finding.kind));
  if (blind.length > 0) {
    const names = blind.map((finding) => ('check' in finding ? finding.check.label : ''));
    const unique = [...new Set(names)];
    const shown =
      unique.slice(0, 2).join(', ') +
      (unique.length > 2 ? ` and ${formatCount(unique.length - 2)} more` : '');
    return `could not see a regression at the threshold in ${shown}`;
  }
  const noise = findings.flatMap((finding) => (finding.kind === 'noise' ? [finding.check] : []));
  if (noise.length > 0) {
    return `${noise.map((check) => describeChange(check)).join(', ')}: within noise, not failed`;
  }
  const overloads = findings.flatMap((finding) => (finding.kind === 'overloaded' ? [finding] : []));
  const [overload] = overloads;
  if (!overload) return undefined;
  const rates = (finding: (typeof overloads)[number]) =>
    `${formatRequestsPerSecond(finding.achievedRate)} of ${formatRequestsPerSecond(finding.requestedRate)}`;
  if (overload.level === undefined) return `open loop fell behind (${rates(overload)})`;
  // A sweep: every level that fell behind, so nobody reads the first one as the only one.
  const shown = overloads
    .slice(0, 3)
    .map(
      (finding) => `${finding.level} (${formatRequestsPerSecond(finding.achievedRate)} achieved)`,
    );
  const more = overloads.length > 3 ? ` and ${formatCount(overloads.length - 3)} more levels` : '';
  return `open loop fell behind at ${shown.join(', ')}${more}`;
}

/**
 * The one-line failure message of a run that fails the build: it leads with what regressed,
 * never with what was not judged.
 */
export function failureLine(
  judgement: Pick<Judgement, 'verdict' | 'findings' | 'failed'>,
  keyText: string,
): string | undefined {
  if (!judgement.failed) return undefined;
  const findings = orderFindings(judgement.findings);
  switch (judgement.verdict) {
    case 'regression': {
      const regressions = findings.flatMap((finding) =>
        finding.kind === 'regression' ? [`${at(finding)}${describeChange(finding.check)}`] : [],
      );
      return `performance regression: ${regressions.join('; ')}`;
    }
    case 'no-baseline':
      return `no baseline for ${keyText}; run with mode update-baseline first (or set fail-on-missing-baseline: false)`;
    case 'cancelled':
      return 'cancelled: partial results were written; nothing was judged';
    default: {
      // A refused baseline says so in its own words: nothing was written.
      const refused = findings.find((finding) => finding.kind === 'baseline-refused');
      if (refused) return wordFinding(refused).replace(/\.$/, '');
      const first = findings.find((finding) => finding.kind !== 'overloaded') ?? findings[0];
      const reason = first ? wordFinding(first).replace(/\.$/, '') : 'see the report';
      return `${judgement.verdict}: ${reason}`;
    }
  }
}
