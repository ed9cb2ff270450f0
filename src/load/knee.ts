import type { Slo } from '../config/types.js';
import type { SweepLevel, SweepResults } from '../results/types.js';

/** A level meets the SLOs when its p95s do and at most this share of requests failed. */
const MAX_ERROR_RATE_AT_KNEE = 0.01;

function meetsSlo(level: SweepLevel, slo: Slo): boolean {
  const d = level.summary.distributions;
  if (level.summary.errorRate > MAX_ERROR_RATE_AT_KNEE) return false;
  if (slo.ttftMs !== undefined && d.ttft.p95Ms > slo.ttftMs) return false;
  if (slo.tpotMs !== undefined && d.tpot.p95Ms > slo.tpotMs) return false;
  if (slo.e2eMs !== undefined && d.e2e.p95Ms > slo.e2eMs) return false;
  return true;
}

/**
 * The knee of the throughput–latency curve. With SLOs: the highest level that meets them.
 * Without: the last level before p95 TTFT grows faster than output tokens/s (in relative terms),
 * i.e. where more load starts buying more waiting than throughput.
 */
export function findKnee(levels: readonly SweepLevel[], slo: Slo): SweepResults['knee'] {
  if (levels.length === 0) return undefined;
  const hasSlo = Object.values(slo).some((value) => value !== undefined);
  if (hasSlo) {
    const meeting = levels.filter((level) => meetsSlo(level, slo));
    const best = meeting.at(-1);
    return best ? { level: best.level, reason: 'highest level that meets the SLOs' } : undefined;
  }
  for (let index = 1; index < levels.length; index++) {
    const before = levels[index - 1]!;
    const after = levels[index]!;
    const latencyGrowth = Math.log(
      Math.max(after.summary.distributions.ttft.p95Ms, 1e-3) /
        Math.max(before.summary.distributions.ttft.p95Ms, 1e-3),
    );
    const throughputGrowth = Math.log(
      Math.max(after.summary.outputTokensPerSecond, 1e-3) /
        Math.max(before.summary.outputTokensPerSecond, 1e-3),
    );
    // A flat latency wobbles; a knee is latency rising by half or more, faster than throughput.
    if (latencyGrowth > throughputGrowth && latencyGrowth > Math.log(1.5)) {
      return {
        level: before.level,
        reason: `p95 TTFT grows faster than throughput beyond it (×${Math.exp(latencyGrowth).toFixed(2)} vs ×${Math.exp(throughputGrowth).toFixed(2)})`,
      };
    }
  }
  const last = levels.at(-1)!;
  return { level: last.level, reason: 'latency never grew faster than throughput' };
}
