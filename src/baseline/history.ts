import { checkComparable } from '../gate/comparable.js';
import { trialFiguresOf } from '../metrics/catalogue.js';
import { untrustedReason } from '../domain/health.js';
import type { HistoryRun, RunResults } from '../domain/results.js';

/** A run as one entry of a baseline's history: its whole-run figures and where it came from. */
export function historyRunOf(results: RunResults): HistoryRun {
  const commit = results.provenance.commit;
  return {
    date: results.provenance.date,
    ...(commit ? { commit } : {}),
    trials: Math.max(1, results.trials.length),
    figures: trialFiguresOf(results.summary),
  };
}

/**
 * The history a new baseline carries: the previous baseline's history (or the previous baseline
 * itself, for files written before history existed) plus this run, the last `keep` of them.
 * A previous baseline that measured another load, or could not be trusted, starts history afresh:
 * its figures would pass off a change of settings as drift.
 */
export function nextHistory(
  previous: RunResults | undefined,
  results: RunResults,
  keep: number,
): HistoryRun[] {
  const usable =
    previous !== undefined &&
    untrustedReason(previous) === undefined &&
    checkComparable(previous, results).length === 0;
  const earlier = usable ? (previous.history ?? [historyRunOf(previous)]) : [];
  return [...earlier, historyRunOf(results)].slice(-Math.max(1, keep));
}
