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

/**
 * Below this share of common measured time the shards did not run as one load: each saw a
 * lighter server than the plan's, and the union window stretches every rate.
 */
export const MIN_SHARD_OVERLAP = 0.9;

/**
 * Why merged shards must not be judged, in one line (the overlap and each shard's start);
 * undefined when they ran together. A merge of staggered shards reads as a throughput regression
 * that no server caused.
 */
export function shardsApartReason(results: RunResults): string | undefined {
  const shards = results.shards;
  if (!shards || shards.overlap >= MIN_SHARD_OVERLAP) return undefined;
  const first = Math.min(...shards.windows.map((window) => window.startEpochMs));
  const starts = shards.windows
    .map(
      (window) =>
        `shard ${window.shard} at ${new Date(window.startEpochMs).toISOString()} (+${((window.startEpochMs - first) / 1000).toFixed(1)} s)`,
    )
    .join(', ');
  return (
    `the shards' measured windows overlapped only ${(shards.overlap * 100).toFixed(0)}% ` +
    `(at least ${MIN_SHARD_OVERLAP * 100}% needed): ${starts}; ` +
    'give every shard the same start-at so they measure together'
  );
}
