/**
 * The process exit statuses of the CLI and the action, one place (README "Exit statuses").
 * Distinct so that a script can tell "the endpoint got slower" from "the endpoint was down" and
 * from "the job was cancelled".
 */
export const EXIT_STATUS = {
  /** pass, no-baseline, updated (and regression or inconclusive with fail-on-regression false). */
  ok: 0,
  /** The gate failed: regression, inconclusive, a missing baseline with fail-on-missing-baseline. */
  gateFailed: 1,
  /** A wrong input, mix, baseline or results file: fix the configuration. */
  usage: 2,
  /** The endpoint could not be measured: every request failed, it hung or was unreachable. */
  unhealthy: 3,
  /** An unexpected error: a bug in llm-perf-gate (the stack is printed). */
  bug: 70,
  /** SIGINT or SIGTERM: partial results were written, nothing was judged. */
  cancelled: 130,
} as const;

export type ExitStatus = (typeof EXIT_STATUS)[keyof typeof EXIT_STATUS];
