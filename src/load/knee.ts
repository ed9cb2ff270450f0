import type { Slo } from '../domain/config.js';
import type { SweepLevel, SweepResults } from '../domain/results.js';

/**
 * The knee of the throughput–latency curve, and the rule behind it (README "Sweeps"):
 *
 * A level is worth its load when its errors are at most 1%, it meets the SLOs (when set),
 * output tokens/s rose at least 5% above every lower level, and p95 TTFT did not grow faster
 * than throughput by half or more on the way there. The knee is the highest such level below the
 * top of the sweep: beyond it more load buys waiting, errors or nothing. When the top level is
 * still worth its load, the knee lies beyond the sweep; when no level is, there is none.
 */
export const KNEE_RULES = {
  maxErrorRate: 0.01,
  minThroughputGain: 0.05,
  latencyGrowthLimit: 1.5,
} as const;

type Knee = Pick<SweepResults, 'knee' | 'noKnee'>;

function meetsSlo(level: SweepLevel, slo: Slo): boolean {
  const d = level.summary.distributions;
  if (slo.ttftMs !== undefined && d.ttft.p95Ms > slo.ttftMs) return false;
  if (slo.tpotMs !== undefined && d.tpot.p95Ms > slo.tpotMs) return false;
  if (slo.e2eMs !== undefined && d.e2e.p95Ms > slo.e2eMs) return false;
  return true;
}

const growth = (after: number, before: number) => Math.max(after, 1e-3) / Math.max(before, 1e-3);
const times = (factor: number) => `×${factor.toFixed(2)}`;
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** Why a level is not worth its load; undefined when it is. */
function shortfall(levels: readonly SweepLevel[], index: number, slo: Slo): string | undefined {
  const level = levels[index]!;
  const summary = level.summary;
  if (summary.errorRate > KNEE_RULES.maxErrorRate) {
    return `errors ${percent(summary.errorRate)} > ${percent(KNEE_RULES.maxErrorRate)}`;
  }
  if (!meetsSlo(level, slo)) return 'misses the SLOs';
  if (index === 0) return undefined;
  const best = Math.max(...levels.slice(0, index).map((l) => l.summary.outputTokensPerSecond));
  const throughput = growth(summary.outputTokensPerSecond, best);
  if (throughput < 1 + KNEE_RULES.minThroughputGain) {
    return `tokens/s ${times(throughput)} of the best lower level`;
  }
  const previous = levels[index - 1]!.summary;
  const latency = growth(summary.distributions.ttft.p95Ms, previous.distributions.ttft.p95Ms);
  const step = growth(summary.outputTokensPerSecond, previous.outputTokensPerSecond);
  if (latency > step && latency > KNEE_RULES.latencyGrowthLimit) {
    return `p95 TTFT ${times(latency)} for tokens/s ${times(step)}`;
  }
  return undefined;
}

export function findKnee(
  levels: readonly SweepLevel[],
  slo: Slo,
  name: (level: number) => string = (level) => String(level),
): Knee {
  if (levels.length === 0) return {};
  const worth = levels.map((_, index) => shortfall(levels, index, slo) === undefined);
  const top = levels.length - 1;
  const best = worth.lastIndexOf(true);
  if (best < 0) {
    const first = shortfall(levels, 0, slo)!;
    return { noKnee: `no level was worth its load (${name(levels[0]!.level)}: ${first})` };
  }
  const level = levels[best]!;
  const gained =
    best > 0
      ? `tokens/s ${times(growth(level.summary.outputTokensPerSecond, levels[0]!.summary.outputTokensPerSecond))} of ${name(levels[0]!.level)}`
      : 'the first level';
  if (best === top) {
    return {
      noKnee: `throughput still grew at the top level (${name(level.level)}: ${gained}, errors ${percent(level.summary.errorRate)}); extend the sweep to find the knee`,
    };
  }
  const beyond = levels[best + 1]!;
  return {
    knee: {
      level: level.level,
      reason: `the highest level still worth its load (${gained}, errors ${percent(level.summary.errorRate)}); beyond it, ${name(beyond.level)}: ${shortfall(levels, best + 1, slo) ?? 'no further gain'}`,
    },
  };
}
