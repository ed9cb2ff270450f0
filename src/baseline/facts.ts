import type { RunResults, Warning } from '../domain/results.js';

/**
 * Differences in *what* was measured, as opposed to how fast: a changed server, system
 * fingerprint or output-length behaviour makes a comparison suspect even when keys match.
 */
export function measuredThingWarnings(baseline: RunResults, current: RunResults): Warning[] {
  const warnings: Warning[] = [];
  const before = baseline.endpoint;
  const after = current.endpoint;
  const changed = (label: string, was: string | undefined, now: string | undefined) => {
    if (was !== undefined && now !== undefined && was !== now) {
      warnings.push({
        code: 'endpoint-changed',
        message: `${label} changed since the baseline: ${JSON.stringify(was)} → ${JSON.stringify(now)}`,
      });
    }
  };
  changed('server header', before.server, after.server);
  changed('system_fingerprint', before.systemFingerprint, after.systemFingerprint);
  const lengthBefore = baseline.summary.outputLength;
  const lengthAfter = current.summary.outputLength;
  const meanLength = (results: RunResults) =>
    results.summary.succeeded > 0 ? results.summary.outputTokens / results.summary.succeeded : 0;
  const meanBefore = meanLength(baseline);
  const meanAfter = meanLength(current);
  if (meanBefore > 0 && Math.abs(meanAfter - meanBefore) / meanBefore > 0.1) {
    warnings.push({
      code: 'output-length-changed',
      message: `mean output length changed from ${meanBefore.toFixed(0)} to ${meanAfter.toFixed(0)} tokens (received ${lengthBefore.receivedMin}–${lengthBefore.receivedMax} → ${lengthAfter.receivedMin}–${lengthAfter.receivedMax}): tokens/s and e2e are not like for like`,
    });
  }
  return warnings;
}
