import { formatSignedPercent, formatValue } from '../format.js';
import type { CheckStatus, MetricCheck, Threshold } from '../domain/judgement.js';

/**
 * A server metric's relative or absolute change beyond its threshold is a regression, with no
 * noise test: the server gives bucketed histograms and sampled gauges, not the samples a test
 * needs, so a server threshold should be set wider than a client one (README "Server metrics").
 */
export function judgeServerChange(check: MetricCheck, threshold: Threshold): MetricCheck {
  const baseline = check.baseline ?? 0;
  const sign = threshold.direction === 'higher-is-worse' ? 1 : -1;
  const change =
    threshold.kind === 'relative'
      ? baseline === 0
        ? check.current === 0
          ? 0
          : sign * Infinity
        : (sign * (check.current - baseline)) / baseline
      : sign * (check.current - baseline);
  const status: CheckStatus =
    change > threshold.value ? 'regression' : -change > threshold.value ? 'improvement' : 'pass';
  const shown =
    check.relativeDelta !== undefined
      ? formatSignedPercent(check.relativeDelta)
      : `${formatValue(baseline, check.unit)} → ${formatValue(check.current, check.unit)}`;
  return {
    ...check,
    status,
    evidence: `${shown} from the server's metrics; no noise test (bucketed histograms and sampled gauges)`,
  };
}
