import { expect } from 'vitest';
import type { RunOutcome } from '../../src/run.js';

/** How a baseline refused because the run's own load generator was the bottleneck reads. */
export const CLIENT_BOUND_REFUSAL = /baseline not updated: the load generator was the bottleneck/;

/**
 * Runs `attempt`, an update-baseline, until its baseline is written, at most `tries` times. A
 * machine too busy to measure refuses a baseline whose load generator was the bottleneck, which
 * is right; a test that needs a baseline as its starting point tries again, and only for that
 * reason. `refusal` gives the refusal text of a result that wrote none, undefined otherwise.
 * Returns the last result: the caller decides what a baseline still refused means for it.
 */
export async function retryWhileClientBound<T>(
  attempt: () => Promise<T>,
  refusal: (result: T) => string | undefined,
  tries = 3,
): Promise<T> {
  let result = await attempt();
  for (let tried = 1; tried < tries; tried++) {
    const text = refusal(result);
    if (text === undefined) return result;
    expect(text).toMatch(CLIENT_BOUND_REFUSAL);
    result = await attempt();
  }
  const text = refusal(result);
  if (text !== undefined) expect(text).toMatch(CLIENT_BOUND_REFUSAL);
  return result;
}

/**
 * True when a run's own load generator was the bottleneck (a machine too busy to measure): its
 * one honest verdict is inconclusive, checked here, and the caller skips what needs a verdict.
 */
export function wasClientBound(outcome: Pick<RunOutcome, 'results' | 'verdict'>): boolean {
  if (!outcome.results.selfCheck.saturated) return false;
  expect(outcome.verdict).toBe('inconclusive');
  return true;
}
