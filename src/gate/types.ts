/** What the gate decided, per metric and overall. Pure data: rendered by src/report. */
export type CheckStatus =
  | 'pass'
  | 'regression'
  | 'improvement'
  /** Beyond the threshold but within run-to-run noise: reported, not failed. */
  | 'noise'
  /** Too few samples to judge this metric (never silently passed: it is a warning). */
  | 'insufficient';

export type Verdict =
  | 'pass'
  | 'regression'
  | 'no-baseline'
  | 'updated'
  | 'inconclusive'
  /** Too many requests failed to measure anything (wrong key, path, dead or hung server). */
  | 'unhealthy'
  /** SIGINT/SIGTERM: what was measured is kept, nothing is judged. */
  | 'cancelled';

/** Which way is worse. */
export type Direction = 'higher-is-worse' | 'lower-is-worse';

export interface Threshold {
  /** Metric path, e.g. `ttft.p95`, `output_tokens_per_second`, `error_rate`. */
  metric: string;
  /** `relative`: fraction of the baseline (0.1 = 10%); `absolute-change`: in the metric's unit
   *  (error rate in fraction); `limit`: the current value must stay below/above `value`. */
  kind: 'relative' | 'absolute-change' | 'limit';
  value: number;
  direction: Direction;
  /** Limits only: true for `<=`/`>=` (the limit value itself passes), false for `<`/`>`. */
  inclusive?: boolean;
  /** As the user wrote it, for the report. */
  source: string;
}

export interface MetricCheck {
  metric: string;
  /** Human label, e.g. "TTFT p95". */
  label: string;
  unit: 'ms' | 'tok/s' | 'req/s' | 'fraction' | 'count';
  baseline?: number;
  current: number;
  /** current − baseline in the metric's unit. */
  delta?: number;
  /** (current − baseline) / baseline, when the baseline is not zero. */
  relativeDelta?: number;
  threshold?: Threshold;
  status: CheckStatus;
  /** One line on the statistical evidence (interval, p-value, samples). */
  evidence?: string;
}

export interface GateResult {
  verdict: Verdict;
  checks: MetricCheck[];
  /** Reasons the verdict is what it is, one line each. */
  reasons: string[];
}
