import type { RunConfig } from '../config/types.js';
import type { Verdict } from '../gate/types.js';
import { untrustedReason } from '../results/health.js';
import type { RunResults } from '../results/types.js';

/**
 * What a run must satisfy to become a baseline or a baseline trial: the one place both
 * `update-baseline` and the cache's default-branch saving ask. A bad baseline is worse than none:
 * every later comparison inherits its flaws without saying so.
 */
export interface AdmissionRules {
  /** Highest error rate (0..1), overall and in every trial (`baseline-max-error-rate`). */
  maxErrorRate: number;
}

export function admissionRulesOf(config: RunConfig): AdmissionRules {
  return { maxErrorRate: config.baselineMaxErrorRate };
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** Why `results` must not become a baseline (or trial), in one line; undefined when it may. */
export function admissionRefusal(results: RunResults, rules: AdmissionRules): string | undefined {
  const untrusted = untrustedReason(results);
  if (untrusted) return untrusted;
  const { summary } = results;
  if (summary.requests === 0 || summary.succeeded === 0) {
    return `no measured request succeeded (${summary.failed} of ${summary.requests} failed)`;
  }
  const ceiling = `baseline-max-error-rate ${percent(rules.maxErrorRate)}`;
  if (summary.errorRate > rules.maxErrorRate) {
    return `error rate ${percent(summary.errorRate)} (${summary.failed} of ${summary.requests} failed) is above ${ceiling}`;
  }
  const trial = results.trials.findIndex((figures) => figures.errorRate > rules.maxErrorRate);
  if (trial >= 0 && results.trials.length > 1) {
    const figures = results.trials[trial]!;
    return `trial ${trial + 1} of ${results.trials.length} had error rate ${percent(figures.errorRate)} (${figures.failed} of ${figures.requests} failed), above ${ceiling}`;
  }
  return undefined;
}

/**
 * Cache mode: why a default-branch run is not kept as a trial. Beyond the admission rules, a run
 * the gate judged a regression (or could not judge) must not become the bar the next pull
 * request is held to: the baseline would drift down one bad run at a time.
 */
export function cacheTrialRefusal(
  results: RunResults,
  verdict: Verdict,
  rules: AdmissionRules,
): string | undefined {
  if (verdict !== 'pass' && verdict !== 'no-baseline') return `the gate's verdict was ${verdict}`;
  return admissionRefusal(results, rules);
}
