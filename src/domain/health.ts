import type { RunHealth, RunResults } from './results.js';

/** A run's health; results files written before health existed read as healthy. */
export function healthOf(results: RunResults): RunHealth {
  return results.health ?? { status: 'healthy' };
}

/**
 * Why this run's figures must not be judged or kept as a baseline, in one line; undefined when
 * they can be. The one rule every caller (gate, baseline writers, cache trials) reads.
 */
export function untrustedReason(results: RunResults): string | undefined {
  const health = healthOf(results);
  if (health.status === 'cancelled') return `the run was cancelled${suffix(health.reason)}`;
  if (health.status === 'unhealthy') return `the run was unhealthy${suffix(health.reason)}`;
  if (results.partial) return 'the run stopped early (partial results)';
  if (results.selfCheck.saturated) {
    return `the load generator was the bottleneck (${results.selfCheck.reasons.join('; ')})`;
  }
  return undefined;
}

function suffix(reason: string | undefined): string {
  return reason ? `: ${reason}` : '';
}
