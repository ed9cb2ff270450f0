import { expect } from 'vitest';

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
