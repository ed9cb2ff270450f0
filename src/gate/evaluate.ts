import { inputDefault } from '../config/inputs.js';
import type { PairedRecord, RunResults } from '../domain/results.js';
import { normalQuantile } from './distributions.js';
import { bucketReader, sideEvidence, type BucketReader } from './evidence.js';
import { formatSignedPercent, formatP, formatValue, formatPpDelta } from '../format.js';
import {
  headlineMetrics,
  metricInfo,
  metricSamples,
  metricValue,
  type MetricInfo,
} from '../metrics/catalogue.js';
import { judgeServerChange } from './server-checks.js';
import {
  allowedLogChange,
  errorRateDesign,
  logScaleDesign,
  pairedDesign,
  type LogScaleDesign,
} from './detectable.js';
import { INTERIM_LIMIT_CONFIDENCE, INTERIM_PASS_CONFIDENCE } from './sequential.js';
import {
  compareErrorCounts,
  compareOnLogScale,
  logComparison,
  rateBound,
  type LogComparison,
  type SideEvidence,
} from './statistics.js';
import type {
  CheckStatus,
  Finding,
  GateResult,
  MetricCheck,
  Threshold,
} from '../domain/judgement.js';
import { verdictOf, type LowSensitivityVerdict } from './verdict.js';

export interface GateInput {
  /**
   * Absent on a first run: only absolute limits are judged (a limit is on this run's value), so
   * the thresholds must hold limits alone (see limitsWithoutBaseline).
   */
  baseline?: RunResults;
  current: RunResults;
  thresholds: Threshold[];
  /** Family-wise false-alarm rate, split evenly (Bonferroni) over the tested thresholds. */
  alpha?: number;
  /** Run-to-run σ (log scale) assumed when trials cannot show it; trials can only raise it. */
  driftSigma?: number;
  /** The verdict when a gated metric could not be seen at its threshold (default inconclusive). */
  onLowSensitivity?: LowSensitivityVerdict;
  /**
   * Measure until decided: judge the run as it stands at look `look` (0-based) of `looks`
   * (measured-request counts, the last one the budget). Without it the run is judged once, as a
   * fixed-size run: at its own size, or at the last look of the looks it recorded.
   */
  look?: number;
}

/**
 * Chosen with bench/gate.ts (bench/results/gate.md). α 0.01 is family-wise: A/A false alarms stay
 * ≤ 1% over all gated metrics together. The drift floor (the drift-floor input, σ 0.03) is the
 * low end of the run-to-run drift real endpoints show: with it, identical runs stay at ≤ 1% false
 * alarms under drift up to 0.03, and it sets the smallest change a stored baseline can ever see.
 */
export const GATE_DEFAULTS = {
  alpha: 0.01,
  driftSigma: Number(inputDefault('drift-floor')),
} as const;

/** Confidence level of the interval shown in the evidence (the decision uses α per metric). */
const SHOWN_CONFIDENCE = 0.99;

/** Compares a run with its baseline, metric by metric. Pure: histograms are decoded in memory. */
export function evaluateGate(input: GateInput): GateResult {
  const { current, thresholds } = input;
  // Paired A/B: the reference measured alongside is the baseline, its noise the pairs'.
  const baseline = input.baseline ?? current.paired?.reference;
  const paired = baseline && baseline === current.paired?.reference ? current.paired : undefined;
  const alpha = input.alpha ?? GATE_DEFAULTS.alpha;
  const tested = thresholds.filter((threshold) => threshold.kind !== 'limit').length;
  const looks = current.sequential?.looks ?? [Math.max(1, current.summary.requests)];
  const look = Math.min(input.look ?? looks.length - 1, looks.length - 1);
  const context: Context = {
    baseline,
    current,
    metricAlpha: alpha / Math.max(1, tested),
    driftSigma: input.driftSigma ?? GATE_DEFAULTS.driftSigma,
    ...(paired ? { paired } : {}),
    baselineBuckets: baseline ? bucketReader(baseline) : () => [],
    currentBuckets: bucketReader(current),
    looks,
    look,
    interim: look < looks.length - 1,
  };

  const rows: Array<{ info: MetricInfo; threshold?: Threshold }> = [];
  const headline = headlineMetrics(current.config);
  for (const info of headline) {
    const gated = thresholds.filter((threshold) => threshold.metric === info.metric);
    if (gated.length > 0) rows.push(...gated.map((threshold) => ({ info, threshold })));
    else if (metricValue(current, info) !== undefined) rows.push({ info });
  }
  for (const threshold of thresholds) {
    if (headline.some((info) => info.metric === threshold.metric)) continue;
    const info = metricInfo(threshold.metric);
    if (!info) throw new Error(`unknown metric "${threshold.metric}" in a threshold`);
    rows.push({ info, threshold });
  }

  const judged = rows.map(({ info, threshold }) => judge(context, info, threshold));
  const checks = judged.map(({ check }) => check);
  const findings: Finding[] = [
    ...clientBound('current', current),
    // Paired, one load generator measured both sides: its self-check is the run's.
    ...(baseline && !paired ? clientBound('baseline', baseline) : []),
    ...checks.flatMap(findingOf),
  ];
  const gatedDecisions = judged.filter(({ check }) => check.threshold);
  return {
    verdict: verdictOf(findings, input.onLowSensitivity ?? 'inconclusive'),
    checks,
    findings,
    ...(context.interim
      ? {
          decided:
            gatedDecisions.some(({ check }) => check.status === 'regression') ||
            gatedDecisions.every(({ decided }) => decided),
        }
      : {}),
  };
}

function clientBound(side: 'current' | 'baseline', results: RunResults): Finding[] {
  return results.selfCheck.saturated
    ? [{ kind: 'client-bound', side, reasons: results.selfCheck.reasons }]
    : [];
}

/** What a gated check adds to the verdict; ungated rows are context and add nothing. */
function findingOf(check: MetricCheck): Finding[] {
  if (!check.threshold) return [];
  switch (check.status) {
    case 'regression':
    case 'noise':
      return [{ kind: check.status, check }];
    case 'insufficient':
      return [{ kind: 'not-judged', check }];
    default:
      return check.detectable?.blind ? [{ kind: 'low-sensitivity', check }] : [];
  }
}

interface Context {
  baseline: RunResults | undefined;
  /** Set when the baseline is a reference measured in the same window (reference-endpoint). */
  paired?: PairedRecord;
  current: RunResults;
  metricAlpha: number;
  driftSigma: number;
  baselineBuckets: BucketReader;
  currentBuckets: BucketReader;
  /** Measured-request counts at which the gate looks; the last is the budget. */
  looks: readonly number[];
  /** The look judged now (0-based). */
  look: number;
  /** Before the last look: a check may still be undecided. */
  interim: boolean;
}

/** A check, and whether more requests could still change it (only before the last look). */
interface Judged {
  check: MetricCheck;
  decided: boolean;
}

const decided = (check: MetricCheck): Judged => ({ check, decided: true });

function judge(context: Context, info: MetricInfo, threshold?: Threshold): Judged {
  const { baseline } = context;
  const baselineValue = baseline ? metricValue(baseline, info) : undefined;
  const currentValue = metricValue(context.current, info);
  const check: MetricCheck = {
    metric: info.metric,
    label: info.label,
    unit: info.unit,
    current: currentValue ?? 0,
    status: 'pass',
    ...(threshold ? { threshold } : {}),
  };
  if (baselineValue !== undefined) {
    check.baseline = baselineValue;
    check.delta = check.current - baselineValue;
    if (baselineValue !== 0) check.relativeDelta = check.delta / baselineValue;
  }
  const limit = threshold?.kind === 'limit';
  // A limit is on this run's value alone; a comparison needs the figure on both sides.
  const sides = limit || !baseline ? [context.current] : [context.current, baseline];
  const unmeasured =
    currentValue === undefined
      ? 'this run'
      : sides.length > 1 && baselineValue === undefined
        ? 'the baseline'
        : undefined;
  if (unmeasured) {
    return decided(
      insufficient(check, `not measured in ${unmeasured} (goodput needs SLOs on both runs)`),
    );
  }
  // Output tokens estimated from characters (or, in older files, counted per event) can be off by
  // tens of percent: tokens/s and TPOT built on them are shown, never judged (issue 10).
  const estimated = sides.some((results) => results.summary.estimatedTokenRequests > 0);
  if (info.countsTokens && estimated) {
    return decided(
      insufficient(check, 'output tokens estimated, not counted (no usage; set tokenizer)'),
    );
  }
  if (threshold?.kind === 'limit') return judgeLimit(context, info, check, threshold);
  // No baseline: the row is this run's figure, for context (comparisons were filtered out).
  if (!baseline) return decided(check);
  if (info.kind === 'server' && threshold) return decided(judgeServerChange(check, threshold));
  if (info.kind === 'error-rate') return judgeErrorRate(context, baseline, check, threshold);
  return judgeLogScale(context, baseline, info, check, threshold);
}

function insufficient(check: MetricCheck, evidence: string): MetricCheck {
  check.evidence = evidence;
  if (check.threshold) check.status = 'insufficient';
  return check;
}

/** Too few samples so far: more requests may bring enough, so only the last look decides. */
function tooFewSoFar(context: Context, check: MetricCheck, evidence: string): Judged {
  return { check: insufficient(check, evidence), decided: !context.interim };
}

/** Why a percentile from `fewest` samples is not judged; undefined when there are enough. */
function tooFewSamples(info: MetricInfo, fewest: number): string | undefined {
  if (info.kind !== 'percentile' || fewest >= info.minSamples) return undefined;
  if (info.minSamples === Infinity) {
    return 'the max has no stable estimate at any n: gate p99.9 or set a limit';
  }
  return `a stable ${info.suffix} needs at least ${info.minSamples} samples per run (raise requests)`;
}

function judgeLimit(
  context: Context,
  info: MetricInfo,
  check: MetricCheck,
  threshold: Threshold,
): Judged {
  const samples = metricSamples(context.current, info);
  const limit = threshold.value;
  const upper = threshold.direction === 'higher-is-worse';
  const violated = upper
    ? threshold.inclusive
      ? check.current > limit
      : check.current >= limit
    : threshold.inclusive
      ? check.current < limit
      : check.current <= limit;
  const operator = `${upper ? '<' : '>'}${threshold.inclusive ? '=' : ''}`;
  const evidence = `${formatValue(check.current, info.unit)} vs limit ${operator} ${formatValue(limit, info.unit)}, n=${samples}`;
  check.evidence = evidence;
  // A limit met by an unstable percentile is no proof: warn instead of passing.
  const few = violated ? undefined : tooFewSamples(info, samples);
  if (few) return tooFewSoFar(context, check, `${evidence}; ${few}`);
  if (violated) check.status = 'regression';
  return {
    check,
    decided: !context.interim || limitCleared(context, info, threshold, violated),
  };
}

/**
 * Before the last look, a limit is decided when this run's value is clear of it: its confidence
 * bound (sampling noise of this run alone: a limit is on this run's value) lies on the same side.
 */
function limitCleared(
  context: Context,
  info: MetricInfo,
  threshold: Threshold,
  violated: boolean,
): boolean {
  const confidence = INTERIM_LIMIT_CONFIDENCE;
  // The side of the value that must clear the limit: the low one for a broken upper limit, etc.
  const lowSide = (threshold.direction === 'higher-is-worse') === violated;
  let bound: number | undefined;
  if (info.kind === 'server') return true;
  if (info.kind === 'error-rate') {
    const { failed, requests } = context.current.summary;
    bound = rateBound(failed, requests, confidence, lowSide ? 'lower' : 'upper');
  } else {
    const side = sideEvidence(context.current, info, context.currentBuckets);
    if (!side) return false;
    const spread = normalQuantile(confidence) * Math.sqrt(side.withinVariance);
    bound = side.value * Math.exp(lowSide ? -spread : spread);
  }
  return lowSide ? bound > threshold.value : bound < threshold.value;
}

/** How far the change goes in the bad direction, in the threshold's terms (negative: better). */
function worsening(threshold: Threshold, baseline: number, current: number): number {
  const sign = threshold.direction === 'higher-is-worse' ? 1 : -1;
  if (threshold.kind !== 'relative') return sign * (current - baseline);
  if (baseline === 0) return current === 0 ? 0 : sign * Infinity;
  return (sign * (current - baseline)) / baseline;
}

/**
 * The rule every look applies: beyond the threshold and significant is a regression; beyond it
 * but not significant is noise; an improvement must be beyond the threshold and significant.
 */
function decide(
  check: MetricCheck,
  threshold: Threshold,
  worseSignificant: boolean,
  betterSignificant: boolean,
): CheckStatus {
  const change = worsening(threshold, check.baseline!, check.current);
  if (change > threshold.value) return worseSignificant ? 'regression' : 'noise';
  if (-change > threshold.value && betterSignificant) return 'improvement';
  return 'pass';
}

function judgeLogScale(
  context: Context,
  baselineResults: RunResults,
  info: MetricInfo,
  check: MetricCheck,
  threshold?: Threshold,
): Judged {
  const samples = [metricSamples(baselineResults, info), metricSamples(context.current, info)];
  const counts = `n=${samples.join('/')}`;
  const few = tooFewSamples(info, Math.min(...samples));
  if (!threshold) {
    // Ungated rows show the change only: the statistics (and the histogram decoding, the gate's
    // main cost) serve the gated metrics.
    const change =
      check.relativeDelta !== undefined ? `${formatSignedPercent(check.relativeDelta)}, ` : '';
    check.evidence = `${change}${counts}${few ? `; ${few}` : ''}`;
    return decided(check);
  }
  if (few) return tooFewSoFar(context, check, `${counts}; ${few}`);
  const baseline = sideEvidence(baselineResults, info, context.baselineBuckets);
  const current = sideEvidence(context.current, info, context.currentBuckets);
  if (!baseline || !current) {
    // A throughput that fell to zero is as bad as it gets; a zero baseline cannot be compared.
    if (baseline && info.direction === 'lower-is-worse') {
      check.status =
        worsening(threshold, check.baseline!, 0) > threshold.value ? 'regression' : 'pass';
      check.evidence = `fell to 0 from ${formatValue(check.baseline!, info.unit)}`;
      return decided(check);
    }
    return decided(insufficient(check, `${baseline ? 'this run' : 'the baseline'} measured 0`));
  }
  const compared = context.paired
    ? comparePaired(context, context.paired, info, threshold, baseline, current)
    : {
        comparison: compareOnLogScale(baseline, current, info.direction, context.driftSigma),
        design: logScaleDesign({
          baseline,
          baselineRequests: baselineResults.summary.requests,
          looks: context.looks,
          currentTrials: Math.max(1, context.current.trials.length),
          threshold,
          alpha: context.metricAlpha,
          driftFloor: context.driftSigma,
        }),
      };
  if (!compared) {
    return decided(insufficient(check, `${counts}; the pairs did not measure it on both sides`));
  }
  const { comparison, design } = compared;
  const z = normalQuantile(0.5 + SHOWN_CONFIDENCE / 2);
  const low = Math.exp(comparison.logRatio - z * comparison.standardError) - 1;
  const high = Math.exp(comparison.logRatio + z * comparison.standardError) - 1;
  const p = Math.min(comparison.pWorse, comparison.pBetter);
  const trials =
    baseline.trials > 1 || current.trials > 1
      ? `, trials ${baseline.trials}/${current.trials}`
      : '';
  check.evidence =
    `${formatSignedPercent(Math.exp(comparison.logRatio) - 1)} ` +
    `(${SHOWN_CONFIDENCE * 100}% CI ${formatSignedPercent(low)} … ${formatSignedPercent(high)}), ` +
    `${formatP(p)}, ${counts}${trials}`;
  check.statistics = { p, interval: { low, high, confidence: SHOWN_CONFIDENCE } };

  const worseLog =
    info.direction === 'higher-is-worse' ? comparison.logRatio : -comparison.logRatio;
  const se = comparison.standardError;
  const beyond = (boundary: number, logChange: number) =>
    se > 0 ? logChange / se > boundary : logChange > 0;
  const boundary = design.boundaries[context.look] ?? Infinity;
  const finalBoundary = design.boundaries[design.boundaries.length - 1] ?? Infinity;
  check.status = decide(
    check,
    threshold,
    beyond(boundary, worseLog),
    beyond(finalBoundary, -worseLog),
  );
  // The design's figure, from the baseline and the budget: the same on every run of this setup,
  // so whether the comparison was blind does not flip with one run's noise.
  check.detectable = design.detectable;
  const shownBelow =
    worseLog + normalQuantile(INTERIM_PASS_CONFIDENCE) * se <
    allowedLogChange(threshold, baseline.value);
  return {
    check,
    decided:
      !context.interim ||
      check.status === 'regression' ||
      check.status === 'improvement' ||
      (check.status === 'pass' && shownBelow),
  };
}

/** Against a reference measured alongside: the pairs' variance, no drift, no trials. */
function comparePaired(
  context: Context,
  paired: PairedRecord,
  info: MetricInfo,
  threshold: Threshold,
  reference: SideEvidence,
  current: SideEvidence,
): { comparison: LogComparison; design: LogScaleDesign } | undefined {
  const variancePerPair = paired.logVariancePerPair[info.metric];
  if (variancePerPair === undefined) return undefined;
  return {
    comparison: logComparison(
      Math.log(current.value / reference.value),
      variancePerPair / Math.max(1, paired.pairs),
      info.direction,
    ),
    design: pairedDesign({
      referenceValue: reference.value,
      variancePerPair,
      looks: context.looks,
      threshold,
      alpha: context.metricAlpha,
    }),
  };
}

function judgeErrorRate(
  context: Context,
  baselineResults: RunResults,
  check: MetricCheck,
  threshold?: Threshold,
): Judged {
  const baseline = baselineResults.summary;
  const current = context.current.summary;
  const test = compareErrorCounts(baseline, current);
  const p = check.current >= check.baseline! ? test.pWorse : test.pBetter;
  check.evidence =
    `${formatPpDelta(check.delta!)} (${baseline.failed}/${baseline.requests} → ` +
    `${current.failed}/${current.requests} failed), Fisher ${formatP(p)}`;
  check.statistics = { p };
  if (!threshold) return decided(check);
  const design = errorRateDesign({
    baseline,
    looks: context.looks,
    threshold,
    alpha: context.metricAlpha,
  });
  const alphaNow = design.nominalAlphas[context.look] ?? 0;
  check.status = decide(check, threshold, test.pWorse < alphaNow, test.pBetter < design.finalAlpha);
  if (design.detectable) check.detectable = design.detectable;
  const baselineRate = baseline.failed / Math.max(1, baseline.requests);
  const shownBelow =
    rateBound(current.failed, current.requests, INTERIM_PASS_CONFIDENCE, 'upper') - baselineRate <=
    threshold.value;
  return {
    check,
    decided:
      !context.interim || check.status === 'regression' || (check.status !== 'noise' && shownBelow),
  };
}
