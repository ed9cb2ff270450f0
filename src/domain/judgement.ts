/**
 * What the judge concludes about a run, as plain data: the verdict, each metric's status and the
 * diagnosis. The domain folder imports nothing: the gate produces these, the results file
 * records them, the action outputs and every renderer only read them.
 */

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
