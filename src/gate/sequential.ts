import type { MeasureConfig } from '../domain/config.js';

/**
 * Measure until decided. A gate run with a baseline looks at its figures after each block of
 * requests and stops as soon as every gated metric is decided (src/gate/evaluate.ts): a
 * regression beyond its group-sequential boundary (src/gate/group-sequential.ts), or a change
 * whose upper confidence bound is below the threshold. `requests` is the budget: a run that is
 * still undecided there is judged by the last look's rule, as a fixed-size run would be.
 * Chosen with bench/gate.ts (bench/results/gate.md).
 */

/** A look needs enough requests for a stable p95 (≥ 200 samples). */
export const MIN_LOOK_REQUESTS = 200;
/** More looks stop sooner but spend α thinner; five keep the last boundary near the fixed one. */
export const MAX_LOOKS = 5;
/**
 * An interim pass: the one-sided upper bound of the change at this confidence is below the
 * threshold. A true change of twice the threshold almost never gets there (it would have to
 * look a whole threshold plus 1.6 standard errors better than it is), so early passes cost the
 * gate's power at twice the threshold nothing measurable, and they leave false alarms alone.
 */
export const INTERIM_PASS_CONFIDENCE = 0.95;
/** An interim decision on a limit: the value's confidence bound clears the limit. */
export const INTERIM_LIMIT_CONFIDENCE = 0.99;

/** The measured-request counts at which the gate looks; the last is the budget. */
export function lookSchedule(budget: number): number[] {
  const looks = Math.max(1, Math.min(MAX_LOOKS, Math.floor(budget / MIN_LOOK_REQUESTS)));
  return Array.from({ length: looks }, (_, look) => Math.round((budget * (look + 1)) / looks));
}

/**
 * Whether a run measures until decided: a gate run with a baseline, one trial, a request budget
 * (no duration), no sweep and no shard (a shard cannot judge: the merge does).
 */
export function measuresUntilDecided(config: MeasureConfig, hasBaseline: boolean): boolean {
  return (
    hasBaseline &&
    config.mode === 'gate' &&
    config.stopWhenDecided &&
    config.trials === 1 &&
    config.durationMs === undefined &&
    config.sweep === undefined &&
    config.shard === undefined
  );
}
