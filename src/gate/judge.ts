import { levelAsRun, levelsOf } from '../domain/levels.js';
import type { Mode } from '../domain/config.js';
import { BaselineError } from '../errors.js';
import { EXIT_STATUS, type ExitStatus } from '../exit-status.js';
import { healthOf, shardsApartReason, untrustedReason } from '../domain/health.js';
import type { RunResults } from '../domain/results.js';
import { checkComparable } from './comparable.js';
import { diagnose } from './diagnosis.js';
import { evaluateGate } from './evaluate.js';
import { formatValue } from '../format.js';
import type {
  Diagnosis,
  Finding,
  GateResult,
  JudgementRecord,
  MetricCheck,
  RefusalCause,
  Threshold,
  Verdict,
} from '../domain/judgement.js';
import { limitsWithoutBaseline } from './thresholds.js';
import { verdictOf, type LowSensitivityVerdict } from './verdict.js';

/** An open-loop run that achieved less than this share of its requested rate was overloaded. */
export const OVERLOAD_RATE_SHARE = 0.95;
/** ...or whose requests left this late (p95 of schedule delay), in ms. */
export const OVERLOAD_DELAY_P95_MS = 100;

export interface JudgePolicy {
  failOnRegression: boolean;
  failOnMissingBaseline: boolean;
  onLowSensitivity: LowSensitivityVerdict;
  /** With no baseline, the error rate a run may not exceed (unless an error-rate limit is set). */
  baselineMaxErrorRate: number;
  /** Run-to-run σ always allowed for against a stored baseline (drift-floor). */
  driftFloor: number;
}

export interface JudgeInput {
  mode: Mode;
  current: RunResults;
  /** The baseline found for the run's key (gate and merge modes). */
  baseline?: RunResults;
  /** Where the baseline came from, for the incomparability message. */
  baselineLocation?: string;
  thresholds: Threshold[];
  policy: JudgePolicy;
  /** update-baseline: why the admission rules refuse this run as a baseline, if they do. */
  baselineRefusal?: { reason: string; cause: RefusalCause };
}

export interface Judgement {
  verdict: Verdict;
  /** Everything that shaped the verdict, for the renderers to word. */
  findings: Finding[];
  /** The metric comparison, when a baseline was compared with. */
  gate?: GateResult;
  /** Why it got worse: one per run or sweep level whose latency or throughput regressed. */
  diagnoses: Diagnosis[];
  exitStatus: ExitStatus;
  /** True when the build must fail (exit status not 0). */
  failed: boolean;
}

/**
 * The one judge: run health, comparability, each metric's status, the verdict and the exit
 * status, for a run or a sweep and for every mode. The action, `run` and `report` all call it.
 * Throws BaselineError when the baseline measured something else (a configuration problem).
 */
export function judgeRun(input: JudgeInput): Judgement {
  const { current, policy } = input;
  const health = healthOf(current);
  if (health.status !== 'healthy') {
    const finding: Finding =
      health.status === 'cancelled'
        ? { kind: 'cancelled', ...(health.reason ? { reason: health.reason } : {}) }
        : {
            kind: 'unhealthy',
            reason: health.reason ?? 'the endpoint could not be measured',
            ...(health.hint ? { hint: health.hint } : {}),
          };
    return conclude(input, [finding]);
  }
  const reference = current.paired && referenceTrouble(current.paired.reference, policy);
  if (reference) return conclude(input, [reference]);
  // Staggered shards are not one load: refuse to judge rather than report a false regression.
  const apart = shardsApartReason(current);
  if (apart) return conclude(input, [{ kind: 'shards-apart', reason: apart }]);
  const context = [...clientBoundFindings(current), ...overloadFindings(current)];
  if (input.mode === 'report') return conclude(input, context);
  if (input.mode === 'update-baseline') {
    const refused: Finding[] = input.baselineRefusal
      ? [{ kind: 'baseline-refused', ...input.baselineRefusal }]
      : [];
    return conclude(input, [...context, ...refused]);
  }
  // Paired A/B: the reference measured alongside is the baseline (no file is read).
  const baseline = input.baseline ?? current.paired?.reference;
  if (!baseline) {
    // Limits need no baseline: a first run is still held to them (and to the error ceiling).
    const { limits } = limitsWithoutBaseline(input.thresholds, policy.baselineMaxErrorRate);
    const { gate } = compare(undefined, current, limits, policy);
    const findings = [
      ...gate.findings,
      ...context.filter((finding) => finding.kind === 'overloaded'),
    ];
    return conclude(input, findings, { gate: { ...gate, findings }, noBaseline: true });
  }

  const differences = [
    ...checkComparable(baseline, current),
    ...sweepDifferences(baseline, current),
  ];
  if (differences.length > 0) {
    const which = input.baselineLocation ? `baseline ${input.baselineLocation}` : 'the baseline';
    throw new BaselineError(
      `${which} is not comparable with this run: ${differences.join('; ')}; run update-baseline or restore the settings`,
    );
  }
  const untrusted = untrustedReason(baseline);
  const baselineFindings: Finding[] = untrusted
    ? [{ kind: 'baseline-untrusted', reason: untrusted }]
    : [];
  const { gate, diagnoses } = compare(baseline, current, input.thresholds, policy);
  // The gate's own findings already hold the client-bound ones; overload is context only.
  const findings = [
    ...baselineFindings,
    ...gate.findings,
    ...context.filter((finding) => finding.kind === 'overloaded'),
  ];
  return conclude(input, findings, { gate: { ...gate, findings }, diagnoses });
}

/**
 * Paired A/B: a reference that could not be measured, or that failed more than a baseline may
 * (baseline-max-error-rate), is no yardstick: nothing is judged against it.
 */
function referenceTrouble(reference: RunResults, policy: JudgePolicy): Finding | undefined {
  const hint =
    'check reference-endpoint, reference-api-key and reference-model, or gate against a stored baseline (remove reference-endpoint)';
  const health = healthOf(reference);
  if (health.status === 'cancelled') return undefined;
  if (health.status === 'unhealthy') {
    const why = health.reason ?? 'it could not be measured';
    return { kind: 'unhealthy', reason: `the reference endpoint: ${why}; nothing judged`, hint };
  }
  const { failed, requests, errorRate } = reference.summary;
  if (errorRate <= policy.baselineMaxErrorRate) return undefined;
  return {
    kind: 'unhealthy',
    reason:
      `the reference endpoint failed ${formatValue(errorRate, 'fraction')} of requests ` +
      `(${failed}/${requests}; baseline-max-error-rate ${formatValue(policy.baselineMaxErrorRate, 'fraction')}); nothing judged`,
    hint,
  };
}

function conclude(
  input: JudgeInput,
  findings: Finding[],
  compared: { gate?: GateResult; diagnoses?: Diagnosis[]; noBaseline?: boolean } = {},
): Judgement {
  const { gate, diagnoses = [], noBaseline = false } = compared;
  const judged = verdictOf(findings, input.policy.onLowSensitivity);
  // Only a run that would pass becomes a baseline or stands alone as "no baseline yet".
  const verdict: Verdict =
    judged !== 'pass'
      ? judged
      : noBaseline
        ? 'no-baseline'
        : input.mode === 'update-baseline'
          ? 'updated'
          : 'pass';
  // A refused baseline update fails whatever the gate policy: nothing was written.
  const exitStatus =
    input.mode === 'update-baseline' && verdict === 'inconclusive'
      ? EXIT_STATUS.gateFailed
      : exitStatusOf(verdict, input.policy);
  return {
    verdict,
    findings,
    ...(gate ? { gate } : {}),
    diagnoses,
    exitStatus,
    failed: exitStatus !== EXIT_STATUS.ok,
  };
}

/** The judgement as the results file records it. */
export function judgementRecord(judgement: Judgement): JudgementRecord {
  return {
    verdict: judgement.verdict,
    checks: (judgement.gate?.checks ?? []).map((check) => ({
      metric: check.metric,
      label: check.label,
      status: check.status,
      ...(check.baseline !== undefined ? { baseline: check.baseline } : {}),
      current: check.current,
      ...(check.relativeDelta !== undefined ? { relativeDelta: check.relativeDelta } : {}),
      ...(check.threshold ? { threshold: check.threshold.source } : {}),
    })),
    diagnoses: judgement.diagnoses,
  };
}

/** The exit status of a verdict under the user's failure policy. */
export function exitStatusOf(verdict: Verdict, policy: JudgePolicy): ExitStatus {
  switch (verdict) {
    case 'cancelled':
      return EXIT_STATUS.cancelled;
    case 'unhealthy':
      return EXIT_STATUS.unhealthy;
    case 'regression':
    case 'inconclusive':
      return policy.failOnRegression ? EXIT_STATUS.gateFailed : EXIT_STATUS.ok;
    case 'no-baseline':
      return policy.failOnMissingBaseline ? EXIT_STATUS.gateFailed : EXIT_STATUS.ok;
    default:
      return EXIT_STATUS.ok;
  }
}

function clientBoundFindings(results: RunResults): Finding[] {
  return levelsOf(results).flatMap(({ selfCheck, sweep }) =>
    selfCheck.saturated
      ? [
          {
            kind: 'client-bound' as const,
            side: 'current' as const,
            reasons: selfCheck.reasons,
            ...(sweep ? { level: sweep.name } : {}),
          },
        ]
      : [],
  );
}

/**
 * Open loop only: the endpoint (or the concurrency cap) could not keep up with the requested
 * rate, so requests left late. Not a client fault: it is what users of a slow server feel, which
 * is why the gate judges TTFT from the scheduled time in open loop.
 */
function overloadFindings(results: RunResults): Finding[] {
  return levelsOf(results).flatMap(({ summary, selfCheck, sweep }) => {
    const { requestedRate, achievedRate } = selfCheck;
    if (requestedRate === undefined || achievedRate === undefined) return [];
    const delay = summary.distributions.scheduleDelay;
    const slow = achievedRate < OVERLOAD_RATE_SHARE * requestedRate;
    const late = delay.count > 0 && delay.p95Ms > OVERLOAD_DELAY_P95_MS;
    if (!slow && !late) return [];
    return [
      {
        kind: 'overloaded' as const,
        requestedRate,
        achievedRate,
        scheduleDelayP95Ms: delay.p95Ms,
        scheduleDelayMaxMs: delay.maxMs,
        ...(sweep ? { level: sweep.name } : {}),
      },
    ];
  });
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

interface Compared {
  gate: GateResult;
  diagnoses: Diagnosis[];
}

type ComparePolicy = Pick<JudgePolicy, 'onLowSensitivity' | 'driftFloor'>;

/** A run or a sweep, against its baseline (or reference) when there is one. */
function compare(
  baseline: RunResults | undefined,
  current: RunResults,
  thresholds: Threshold[],
  policy: ComparePolicy,
): Compared {
  return current.sweep
    ? compareSweep(baseline, current, thresholds, policy)
    : compareRun(baseline, current, thresholds, policy);
}

/** One run (or sweep level): the gate, and with a baseline, why whatever regressed did. */
function compareRun(
  baseline: RunResults | undefined,
  current: RunResults,
  thresholds: Threshold[],
  policy: ComparePolicy,
): Compared {
  const gate = evaluateGate({
    ...(baseline ? { baseline } : {}),
    current,
    thresholds,
    onLowSensitivity: policy.onLowSensitivity,
    driftSigma: policy.driftFloor,
  });
  const diagnosis = baseline && diagnose(baseline, current, gate);
  return { gate, diagnoses: diagnosis ? [diagnosis] : [] };
}

/**
 * A sweep, level by level against the baseline's curve: every level is judged by the same gate,
 * its checks, findings and diagnosis carry the level's name, and the verdict rule sees them all
 * at once.
 */
function compareSweep(
  baseline: RunResults | undefined,
  current: RunResults,
  thresholds: Threshold[],
  policy: ComparePolicy,
): Compared {
  const { onLowSensitivity } = policy;
  const checks: MetricCheck[] = [];
  const findings: Finding[] = [];
  const diagnoses: Diagnosis[] = [];
  const baselineLevels = baseline ? levelsOf(baseline) : [];
  for (const level of levelsOf(current).filter((candidate) => candidate.sweep)) {
    const before = baselineLevels.find(
      (candidate) => candidate.sweep?.level === level.sweep?.level,
    );
    if (baseline && !before) continue;
    const name = level.sweep!.name;
    const compared = compareRun(
      baseline && before ? levelAsRun(baseline, before) : undefined,
      levelAsRun(current, level),
      thresholds,
      policy,
    );
    const result = compared.gate;
    diagnoses.push(...compared.diagnoses.map((diagnosis) => ({ ...diagnosis, level: name })));
    const labelled = new Map(
      result.checks.map((check) => [check, { ...check, label: `${name} ${check.label}` }]),
    );
    checks.push(...labelled.values());
    findings.push(
      ...result.findings.map((finding) =>
        'check' in finding
          ? { ...finding, check: labelled.get(finding.check) ?? finding.check, level: name }
          : { ...finding, level: name },
      ),
    );
  }
  return {
    gate: { verdict: verdictOf(findings, onLowSensitivity), checks, findings },
    diagnoses,
  };
}
