import type { RunConfig } from '../domain/config.js';
import { baselineDetectability } from '../gate/detectable.js';
import { GATE_DEFAULTS } from '../gate/evaluate.js';
import { metricInfo } from '../metrics/catalogue.js';
import type { RefusalCause, Threshold, Verdict } from '../domain/judgement.js';
import { formatDetectable, formatThreshold } from '../format.js';
import { untrustedReason } from '../domain/health.js';
import type { RunResults } from '../domain/results.js';

/**
 * What a run must satisfy to become a baseline or a baseline run in the cache: the one place both
 * `update-baseline` and the cache's default-branch saving ask. A bad baseline is worse than none:
 * every later comparison inherits its flaws without saying so.
 */
export interface AdmissionRules {
  /** Highest error rate (0..1), overall and in every trial (`baseline-max-error-rate`). */
  maxErrorRate: number;
  /** Gated thresholds: the baseline must let the gate see twice each of them. */
  thresholds: readonly Threshold[];
  /** `accept-noisy-baseline`: write it anyway, with what it can detect in the log. */
  acceptNoisy: boolean;
  /** `drift-floor`: the run-to-run σ the gate will allow for; the default when absent. */
  driftFloor?: number;
}

export function admissionRulesOf(
  config: RunConfig,
  thresholds: readonly Threshold[],
): AdmissionRules {
  return {
    maxErrorRate: config.baselineMaxErrorRate,
    thresholds,
    acceptNoisy: config.acceptNoisyBaseline,
    driftFloor: config.driftFloor,
  };
}

export interface Admission {
  /** Why the run must not become a baseline, in one line; undefined when it may. */
  refusal?: string;
  refusedFor?: RefusalCause;
  /** What a baseline made of this run lets the gate detect, one entry per gated metric. */
  detects: string[];
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/**
 * Judges a candidate baseline: `results` as it would be saved (with its history, which feeds the
 * drift estimate). Health, client and error rate first; then what it could detect, refused when
 * any gated metric could only see more than twice its threshold unless `acceptNoisy`.
 */
export function admitBaseline(results: RunResults, rules: AdmissionRules): Admission {
  const health = healthRefusal(results, rules);
  if (health) return { ...health, detects: [] };
  const sensitivity = baselineDetectability(results, rules.thresholds, {
    alpha: GATE_DEFAULTS.alpha,
    driftSigma: rules.driftFloor ?? GATE_DEFAULTS.driftSigma,
  }).flatMap(({ threshold, detectable }) => {
    const info = metricInfo(threshold.metric);
    if (!info || !detectable) return [];
    // The floor: what drift leaves visible whatever the budget (log-scale metrics only).
    const floor =
      detectable.floor !== undefined
        ? `never below ${formatDetectable(detectable.floor, threshold, info.unit)}; `
        : '';
    const text =
      `${info.label} ${formatDetectable(detectable.change, threshold, info.unit)} ` +
      `(${floor}threshold ${formatThreshold(threshold, info.unit)})`;
    return [{ text, blind: detectable.blind }];
  });
  const detects = sensitivity.map((entry) => entry.text);
  const blind = sensitivity.filter((entry) => entry.blind).map((entry) => entry.text);
  if (blind.length === 0 || rules.acceptNoisy) return { detects };
  return {
    detects,
    refusedFor: 'noisy',
    refusal:
      `it is too noisy to gate with: the gate could only detect ${blind.join(', ')}, more than ` +
      'twice the threshold; raise requests or baseline-trials, or set accept-noisy-baseline: true',
  };
}

/** Health, client and errors: why `results` must not become a baseline, or undefined. */
function healthRefusal(
  results: RunResults,
  rules: AdmissionRules,
): Required<Pick<Admission, 'refusal' | 'refusedFor'>> | undefined {
  const untrusted = untrustedReason(results);
  if (untrusted) return { refusal: untrusted, refusedFor: 'untrusted' };
  const errors = (refusal: string) => ({ refusal, refusedFor: 'errors' as const });
  const { summary } = results;
  if (summary.requests === 0 || summary.succeeded === 0) {
    return errors(
      `no measured request succeeded (${summary.failed} of ${summary.requests} failed)`,
    );
  }
  const ceiling = `baseline-max-error-rate ${percent(rules.maxErrorRate)}`;
  if (summary.errorRate > rules.maxErrorRate) {
    return errors(
      `error rate ${percent(summary.errorRate)} (${summary.failed} of ${summary.requests} failed) is above ${ceiling}`,
    );
  }
  const trial = results.trials.findIndex((figures) => figures.errorRate > rules.maxErrorRate);
  if (trial >= 0 && results.trials.length > 1) {
    const figures = results.trials[trial]!;
    return errors(
      `trial ${trial + 1} of ${results.trials.length} had error rate ${percent(figures.errorRate)} (${figures.failed} of ${figures.requests} failed), above ${ceiling}`,
    );
  }
  return undefined;
}

/**
 * Cache mode: a default-branch run is kept as a baseline run only when a baseline may be made of
 * it and the gate judged it a pass (or had no baseline yet): a run the gate judged a regression,
 * or could not judge, must not become the bar the next pull request is held to.
 */
export function admitCacheRun(
  results: RunResults,
  verdict: Verdict,
  rules: AdmissionRules,
): Admission {
  if (verdict !== 'pass' && verdict !== 'no-baseline') {
    return { refusal: `the gate's verdict was ${verdict}`, refusedFor: 'untrusted', detects: [] };
  }
  return admitBaseline(results, rules);
}
