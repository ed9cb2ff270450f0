import type { CheckStatus, Verdict } from '../domain/judgement.js';
import type { Direction, MetricUnit } from '../metrics/catalogue.js';

/** What the gate decided, per metric and overall. Pure data: rendered by src/report. */
export type { CheckStatus, Direction, Verdict };

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
