/**
 * What the judge concludes about a run, as plain data: the verdict, each metric's status and the
 * diagnosis. The domain folder imports nothing: the gate produces these, the results file
 * records them, the action outputs and every renderer only read them.
 */

/** Which way is worse. */
export type Direction = 'higher-is-worse' | 'lower-is-worse';
export type MetricUnit = 'ms' | 'tok/s' | 'req/s' | 'fraction' | 'count';

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

export const VERDICTS = [
  'pass',
  'regression',
  'no-baseline',
  'updated',
  'inconclusive',
  'unhealthy',
  'cancelled',
] as const satisfies readonly Verdict[];

export type CheckStatus =
  | 'pass'
  | 'regression'
  | 'improvement'
  /** Beyond the threshold but within run-to-run noise: reported, not failed. */
  | 'noise'
  /** Too few samples to judge this metric (never silently passed: it is a warning). */
  | 'insufficient';

export const CHECK_STATUSES = [
  'pass',
  'regression',
  'improvement',
  'noise',
  'insufficient',
] as const satisfies readonly CheckStatus[];

/**
 * Which part of the request's way moved when a latency or throughput got worse (README
 * "Diagnosis" states each rule).
 */
export type Cause =
  | 'errors'
  | 'output-lengths'
  | 'queueing'
  | 'prefill'
  | 'decode'
  | 'between-client-and-server'
  /** Client only: TTFT rose after the response headers, so inside the server (queue or prefill). */
  | 'inside-server'
  | 'unclear';

export const CAUSES = [
  'errors',
  'output-lengths',
  'queueing',
  'prefill',
  'decode',
  'between-client-and-server',
  'inside-server',
  'unclear',
] as const satisfies readonly Cause[];

export interface Diagnosis {
  cause: Cause;
  /** The regressed (or clearly moved) metrics that asked for a diagnosis, e.g. "TTFT p95". */
  moved: string[];
  /** True when no threshold judged the move: it is explained, not failed. */
  ungated: boolean;
  /** One line each: a figure on both runs, `baseline → current`. */
  evidence: string[];
  /** False when the server's view is missing on either run: the client alone was read. */
  serverView: boolean;
  /** The sentence the report shows under its headline. */
  sentence: string;
  /** The sweep level diagnosed, e.g. `c=8`; absent for a plain run. */
  level?: string;
}

/** One metric's comparison as the results file records it. */
export interface CheckRecord {
  /** Canonical metric name, e.g. `ttft.p95`. */
  metric: string;
  /** As the report shows it, a sweep level's name first (`c=8 TTFT p95`). */
  label: string;
  status: CheckStatus;
  baseline?: number;
  current: number;
  relativeDelta?: number;
  /** The threshold as the user wrote it; absent for a metric shown but not gated. */
  threshold?: string;
}

/** The judge's conclusion, written into the results file once the run is judged. */
export interface JudgementRecord {
  verdict: Verdict;
  checks: CheckRecord[];
  diagnoses: Diagnosis[];
}

/** What the gate decided, per metric and overall. Pure data: rendered by src/report. */

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
  unit: MetricUnit;
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
  /** The same evidence as numbers, for the report's plain reading of it. */
  statistics?: CheckStatistics;
  /** What change this comparison could have seen (gated relative or absolute-change thresholds). */
  detectable?: Detectability;
}

/**
 * `p`: how often identical runs would differ at least this much in this direction (one-sided).
 * `interval`: where the true relative change lies with `confidence` (log-scale metrics only).
 */
export interface CheckStatistics {
  p: number;
  interval?: { low: number; high: number; confidence: number };
}

/**
 * The smallest worsening that this comparison would flag 95 times in 100, in the threshold's
 * terms (a fraction for relative thresholds, the metric's unit for absolute changes).
 */
export interface Detectability {
  change: number;
  /** More than twice the threshold: the gate could not see a regression of the size it guards. */
  blind: boolean;
  /** The requests (per trial) this figure is for: the run's budget. */
  requests?: number;
  /**
   * The smallest change this baseline could ever let the gate see, however many requests: the
   * run-to-run drift does not average away within one run. Log-scale metrics only.
   */
  floor?: number;
  /** Paired with a reference measured alongside: no drift floor, more requests always help. */
  paired?: boolean;
}

/** The sweep level a finding belongs to, e.g. `c=8` or `4 req/s`. */
interface AtLevel {
  level?: string;
}

/** What keeps a run from becoming a baseline: it was not clean, it failed too often, or it
 *  could not see its thresholds. */
export type RefusalCause = 'untrusted' | 'errors' | 'noisy';

/**
 * Why a verdict is what it is, as data: src/gate/verdict.ts turns findings into the verdict and
 * src/report/findings.ts words them, so no rule is restated and no prose is edited afterwards.
 */
export type Finding =
  | ({
      kind: 'regression' | 'noise' | 'not-judged' | 'low-sensitivity';
      check: MetricCheck;
    } & AtLevel)
  | ({ kind: 'client-bound'; side: 'current' | 'baseline'; reasons: string[] } & AtLevel)
  | ({
      kind: 'overloaded';
      requestedRate: number;
      achievedRate: number;
      scheduleDelayP95Ms: number;
      scheduleDelayMaxMs: number;
    } & AtLevel)
  | { kind: 'baseline-untrusted'; reason: string }
  /** mode merge: the shards' windows did not overlap enough to be one load. */
  | { kind: 'shards-apart'; reason: string }
  /** update-baseline: the run is healthy but the admission rules refuse it as a baseline. */
  | { kind: 'baseline-refused'; reason: string; cause: RefusalCause }
  | { kind: 'unhealthy'; reason: string; hint?: string }
  | { kind: 'cancelled'; reason?: string };

export interface GateResult {
  verdict: Verdict;
  checks: MetricCheck[];
  findings: Finding[];
  /**
   * Judged at a look before the last (measure until decided): whether more requests could still
   * change the verdict. False until a regression is shown or every gated metric is decided.
   */
  decided?: boolean;
}
