import type { Finding, Verdict } from '../domain/judgement.js';

/**
 * What a run whose gated metrics could not all be seen is called: `inconclusive` by default (a
 * pass must mean the gate could have seen a regression), or `pass` with the blind spots named.
 */
export type LowSensitivityVerdict = 'inconclusive' | 'pass';

/**
 * Findings that say a gated metric was not, or could not be, seen at its threshold. Noise (a
 * change beyond the threshold that the statistics cannot tell from chance, at the budget) is not
 * one: its comparison was designed to see twice the threshold, so failing it would fail
 * unchanged runs that drew a bad day; the headline names it instead.
 */
export const BLIND_SPOTS: ReadonlySet<Finding['kind']> = new Set(['not-judged', 'low-sensitivity']);

/** Findings under which no figure of the run is trusted, whatever the metrics say. */
const UNTRUSTED: ReadonlySet<Finding['kind']> = new Set([
  'client-bound',
  'baseline-untrusted',
  'shards-apart',
  'baseline-refused',
]);

/**
 * The one verdict rule. A run that could not be measured (cancelled, unhealthy) is never judged;
 * untrusted figures are inconclusive even when they look like a regression; then a regression
 * fails; then blind spots make the run inconclusive unless the user chose `pass`.
 */
export function verdictOf(
  findings: readonly Finding[],
  onLowSensitivity: LowSensitivityVerdict,
): Verdict {
  const has = (test: (finding: Finding) => boolean) => findings.some(test);
  if (has((finding) => finding.kind === 'cancelled')) return 'cancelled';
  if (has((finding) => finding.kind === 'unhealthy')) return 'unhealthy';
  if (has((finding) => UNTRUSTED.has(finding.kind))) return 'inconclusive';
  if (has((finding) => finding.kind === 'regression')) return 'regression';
  if (onLowSensitivity === 'inconclusive' && has((finding) => BLIND_SPOTS.has(finding.kind))) {
    return 'inconclusive';
  }
  return 'pass';
}
