/**
 * What a report says, independent of how it is drawn. Numbers are formatted here; text from the
 * endpoint, the config or the runner is left raw, and each renderer escapes every string it
 * draws, so no path from untrusted text to the output skips escaping.
 */
import type { ErrorClass } from '../domain/request.js';
import type { Mode } from '../domain/config.js';
import { ERROR_RATE, headlineMetrics, measuredValue, metricValue } from '../metrics/catalogue.js';
import type { CheckStatus, MetricCheck, Verdict } from '../domain/judgement.js';
import type { DistributionSummary } from '../domain/results.js';
import type { PairedRecord, RecordedConfig, RunResults, Warning } from '../domain/results.js';
import {
  MISSING,
  formatCheckDelta,
  formatCount,
  formatDate,
  formatDuration,
  formatErrorRate,
  formatMs,
  formatPercent,
  formatRequestsPerSecond,
  formatSignedPercent,
  formatThreshold,
  formatValue,
  plural,
  shortSha,
} from '../format.js';
import type { ReportInput } from './types.js';
import { describeChange, describeDetectable, headlineNote, orderFindings } from './findings.js';
import { explainFinding } from './plain.js';

export interface MetricRow {
  label: string;
  baseline?: string;
  current: string;
  delta?: string;
  threshold?: string;
  status?: CheckStatus;
  /** True when a threshold judged this row; ungated rows are shown for context only. */
  gated: boolean;
  /** A gated error rate within its limit although requests failed: say so, not just ✅. */
  failuresWithinLimit?: boolean;
}

export interface ClassRow {
  name: string;
  requests: string;
  errors: string;
  ttftP50: string;
  ttftP95: string;
  /** Relative change of TTFT p95 against the same class in the baseline. */
  ttftP95Delta?: string;
  itlP95: string;
  e2eP95: string;
  outputTokens: string;
}

export interface ErrorRow {
  errorClass: string;
  count: string;
  share: string;
  /** Which prompt classes saw it, e.g. `chat: 2, rag: 1`. */
  promptClasses: string;
  /** What the first failure of this class said (redacted in the results; escaped by renderers). */
  firstError: string;
}

export interface Fact {
  label: string;
  value: string;
}

/** `alert`: the numbers cannot be trusted as they are (saturated client, errors, partial run). */
export interface ReportNotice {
  level: 'alert' | 'warning';
  text: string;
  /** The warning's code, when it came from one. */
  code?: Warning['code'];
}

/** p50, p90, p95, p99, p99.9 in ms. */
export const CHART_PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'p99.9'] as const;

export interface PercentileSeries {
  baseline?: number[];
  current: number[];
}

export interface ReportModel {
  mode: Mode;
  verdict: Verdict;
  key: { model: string; hardware: string; mixName: string; fingerprint: string; api: string };
  /** Short SHAs when they are hex; otherwise the raw text (escaped by renderers). */
  currentCommit?: string;
  baselineCommit?: string;
  baselineDate?: string;
  baselinePath?: string;
  /** True when a baseline was compared with (the compared line, per-class deltas). */
  hasBaseline: boolean;
  /** What the compared column is: a stored baseline, or a reference measured alongside. */
  baselineLabel: 'Baseline' | 'Reference';
  /** Paired A/B: the line naming the reference and both endpoints' health (plain text). */
  referenceLine?: string;
  /** True when the metrics table has baseline, delta, threshold and status columns. */
  compared: boolean;
  metrics: MetricRow[];
  /** One line per regressed or improved check: `TTFT p95 +23.4% (allowed ≤ +10%)`. */
  regressions: string[];
  /** Ungated rows that moved a lot, named without judgement: `TTFT p50 +30.8%`. */
  contextMoves: string[];
  improvements: string[];
  reasons: string[];
  /** Said after the verdict in the headline when the verdict alone would mislead. */
  headlineNote?: string;
  notices: ReportNotice[];
  /**
   * TTFT percentiles, only when the curve adds what the table cannot show: a TTFT regression,
   * where the reader wants to see whether the whole curve moved or only its tail.
   */
  ttftChart?: PercentileSeries;
  classes: ClassRow[];
  errors: ErrorRow[];
  /** `4 of 500 requests failed`. */
  errorSummary: string;
  evidence: Fact[];
  facts: Fact[];
  toolVersion: string;
}

/** Enough warnings to see what is wrong; the rest are in the results file. */
const MAX_NOTICES = 30;
const ALERT_CODES = new Set<Warning['code']>([
  'saturated-client',
  'errors',
  'partial',
  'shards-apart',
  'baseline-edited',
]);

/**
 * The cells of a metrics-table row, header or alignment, given as label, baseline, current, Δ
 * and the rest. A first run is judged on limits alone: its tables have no Baseline and Δ columns.
 */
export function comparedColumns<T>(
  model: Pick<ReportModel, 'hasBaseline'>,
  [label, baseline, current, delta, ...rest]: readonly [T, T, T, T, ...T[]],
): T[] {
  return model.hasBaseline ? [label, baseline, current, delta, ...rest] : [label, current, ...rest];
}

/**
 * `Compared with the reference URL (model), measured alongside: 400 requests sent to both at
 * once; succeeded: this run 400/400, reference 399/400.`
 */
function referenceLine(current: RunResults, paired: PairedRecord): string {
  const reference = paired.reference;
  const ok = (results: RunResults) =>
    `${formatCount(results.summary.succeeded)}/${formatCount(results.summary.requests)}`;
  return (
    `with the reference ${reference.config.endpoint} (${reference.key.model}), measured alongside: ` +
    `${plural(paired.pairs, 'request')} sent to both at once; succeeded: this run ${ok(current)}, ` +
    `reference ${ok(reference)}`
  );
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { current, baseline, gate } = input;
  const compared = Boolean(gate && gate.checks.length > 0);
  const findings = input.findings ?? gate?.findings ?? [];
  return {
    mode: input.mode,
    verdict: input.verdict,
    key: {
      model: current.key.model,
      hardware: current.key.hardware,
      mixName: current.key.mixName,
      fingerprint: current.key.mixFingerprint.slice(0, 8),
      api: current.key.api,
    },
    currentCommit: commitText(input.commitSha ?? current.provenance.commit),
    baselineCommit: commitText(baseline?.provenance.commit),
    baselineDate: baseline
      ? (formatDate(baseline.provenance.date) ?? baseline.provenance.date)
      : undefined,
    baselinePath: input.baselinePath,
    hasBaseline: baseline !== undefined,
    baselineLabel: current.paired ? 'Reference' : 'Baseline',
    ...(current.paired ? { referenceLine: referenceLine(current, current.paired) } : {}),
    compared,
    metrics: gate && compared ? gatedFirst(gate.checks.map(checkRow)) : currentRows(current),
    regressions: highlights(gate?.checks ?? [], 'regression'),
    contextMoves: contextMoves(gate?.checks ?? []),
    improvements: highlights(gate?.checks ?? [], 'improvement'),
    reasons: orderFindings(findings).map(explainFinding),
    headlineNote: headlineNote({ verdict: input.verdict, findings }),
    notices: notices(input),
    ttftChart: ttftRegressed(gate) ? ttftChart(current, baseline) : undefined,
    classes: classRows(current, baseline),
    errors: errorRows(current),
    errorSummary: `${formatCount(current.summary.failed)} of ${plural(current.summary.requests, 'request')} failed`,
    evidence: (gate?.checks ?? [])
      .filter((check) => check.evidence)
      .map((check) => {
        // What the comparison could have seen goes with its evidence, on a pass too.
        const sensitivity = describeDetectable(check);
        return {
          label: check.label,
          value: `${check.evidence ?? ''}${sensitivity ? `; ${sensitivity}` : ''}`,
        };
      }),
    facts: runFacts(input),
    toolVersion: current.tool.version,
  };
}

function commitText(sha: string | undefined): string | undefined {
  return sha ? (shortSha(sha) ?? sha) : undefined;
}

/** Gated rows first, in the gate's order, then the context rows. */
function gatedFirst(rows: MetricRow[]): MetricRow[] {
  return [...rows.filter((row) => row.gated), ...rows.filter((row) => !row.gated)];
}

/** An ungated move this large is worth a line: the size of the default latency threshold. */
const LARGE_MOVE = 0.1;

function contextMoves(checks: MetricCheck[]): string[] {
  return checks
    .filter(
      (check) =>
        !check.threshold &&
        check.relativeDelta !== undefined &&
        Math.abs(check.relativeDelta) >= LARGE_MOVE,
    )
    .map((check) => `${check.label} ${formatCheckDelta(check)}`);
}

function ttftRegressed(gate: ReportInput['gate']): boolean {
  return (gate?.checks ?? []).some(
    (check) => check.metric.startsWith('ttft.') && check.status === 'regression',
  );
}

function checkRow(check: MetricCheck): MetricRow {
  return {
    failuresWithinLimit:
      check.metric === ERROR_RATE &&
      check.threshold !== undefined &&
      check.status === 'pass' &&
      check.current > 0,
    label: check.label,
    baseline: formatValue(check.baseline, check.unit),
    current: formatValue(check.current, check.unit),
    delta: formatCheckDelta(check),
    threshold: formatThreshold(check.threshold, check.unit),
    status: check.status,
    gated: check.threshold !== undefined,
  };
}

function highlights(checks: MetricCheck[], status: CheckStatus): string[] {
  return checks.filter((check) => check.status === status).map(describeChange);
}

/** A percentile in ms, or `—` when the distribution is empty (0 would read as "instant"). */
function ms(distribution: DistributionSummary, percentile: number): string {
  return distribution.count > 0 ? formatMs(percentile) : MISSING;
}

/** A run without a comparison: the headline metrics it measured, `—` where nothing was. */
function currentRows(current: RunResults): MetricRow[] {
  return headlineMetrics(current.config).flatMap((info) => {
    if (metricValue(current, info) === undefined) return [];
    const value = measuredValue(current, info);
    const shown = value === undefined ? MISSING : formatValue(value, info.unit);
    return [{ label: info.label, current: shown, gated: false }];
  });
}

/**
 * The run's warnings (made once, with codes, in src/results/build.ts) and the runner's notices:
 * the report only decides how each code is shown.
 */
function notices(input: ReportInput): ReportNotice[] {
  const warnings: Array<Pick<Warning, 'code' | 'message'>> = input.current.warnings;
  // The warning about failed requests says what the error-rate row says, so the two agree.
  const errorRate = input.gate?.checks.find((check) => check.metric === ERROR_RATE);
  const failuresWithinLimit = errorRate ? checkRow(errorRate).failuresWithinLimit : false;
  const all: ReportNotice[] = [
    ...warnings.map((warning) =>
      warning.code === 'errors' && failuresWithinLimit && errorRate?.threshold
        ? {
            level: 'warning' as const,
            code: warning.code,
            text:
              `${warning.message.replace(/\.$/, '')}: within the error-rate limit ` +
              `(${formatThreshold(errorRate.threshold, errorRate.unit)}), so not failed; ` +
              'the latencies cover the requests that succeeded.',
          }
        : {
            level: ALERT_CODES.has(warning.code) ? ('alert' as const) : ('warning' as const),
            text: warning.message,
            code: warning.code,
          },
    ),
    ...(input.notices ?? []).map((text) => ({ level: 'warning' as const, text })),
  ];
  // Alerts first, so a capped list never hides one.
  all.sort((a, b) => (a.level === b.level ? 0 : a.level === 'alert' ? -1 : 1));
  if (all.length <= MAX_NOTICES) return all;
  const more = all.length - (MAX_NOTICES - 1);
  return [
    ...all.slice(0, MAX_NOTICES - 1),
    { level: 'warning', text: `… and ${formatCount(more)} more warnings in the results file.` },
  ];
}

function percentiles(distribution: DistributionSummary): number[] {
  const { p50Ms, p90Ms, p95Ms, p99Ms, p999Ms } = distribution;
  return [p50Ms, p90Ms, p95Ms, p99Ms, p999Ms];
}

function ttftChart(current: RunResults, baseline?: RunResults): PercentileSeries | undefined {
  const ttft = current.summary.distributions.ttft;
  if (ttft.count === 0) return undefined;
  const baselineTtft = baseline?.summary.distributions.ttft;
  return {
    current: percentiles(ttft),
    baseline: baselineTtft && baselineTtft.count > 0 ? percentiles(baselineTtft) : undefined,
  };
}

function classRows(current: RunResults, baseline?: RunResults): ClassRow[] {
  return Object.entries(current.perClass).map(([name, figures]) => {
    const { ttft, itl, e2e } = figures.distributions;
    const baselineTtft = baseline?.perClass[name]?.distributions.ttft;
    const comparable = baselineTtft && baselineTtft.count > 0 && ttft.count > 0;
    return {
      name,
      requests: formatCount(figures.requests),
      errors:
        figures.failed > 0
          ? `${formatCount(figures.failed)} (${formatErrorRate(figures.errorRate)})`
          : '0',
      ttftP50: ms(ttft, ttft.p50Ms),
      ttftP95: ms(ttft, ttft.p95Ms),
      ttftP95Delta: comparable
        ? formatSignedPercent((ttft.p95Ms - baselineTtft.p95Ms) / baselineTtft.p95Ms)
        : undefined,
      itlP95: ms(itl, itl.p95Ms),
      e2eP95: ms(e2e, e2e.p95Ms),
      outputTokens: `${formatCount(figures.outputTokens)}${figures.estimatedTokenRequests > 0 ? ' (est.)' : ''}`,
    };
  });
}

function errorRows(current: RunResults): ErrorRow[] {
  const { requests, errorsByClass } = current.summary;
  const entries = Object.entries(errorsByClass) as Array<[ErrorClass, number | undefined]>;
  return entries
    .filter((entry): entry is [ErrorClass, number] => (entry[1] ?? 0) > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([errorClass, count]) => ({
      errorClass,
      count: formatCount(count),
      share: formatErrorRate(requests > 0 ? count / requests : undefined),
      promptClasses: Object.entries(current.perClass)
        .map(([name, figures]) => [name, figures.errorsByClass[errorClass] ?? 0] as const)
        .filter(([, n]) => n > 0)
        .map(([name, n]) => `${name}: ${formatCount(n)}`)
        .join(', '),
      firstError: current.summary.firstErrors?.[errorClass] ?? '',
    }));
}

function tokenCountingText(summary: RunResults['summary']): string {
  if (summary.tokenCounting === 'tokenizer')
    return 'no usage from the server: counted by the tokenizer';
  if (summary.estimatedTokenRequests === 0) return "from the server's usage";
  const how =
    summary.tokenCounting === 'characters'
      ? 'from characters (≈4 per token)'
      : 'from streamed events';
  return `estimated ${how} for ${formatCount(summary.estimatedTokenRequests)} requests (no usage from the server)`;
}

function loadText(config: RecordedConfig): string {
  if (config.requestRate === undefined) return `closed loop, concurrency ${config.concurrency}`;
  const arrival =
    config.arrival === 'gamma'
      ? `gamma arrivals, burstiness ${config.burstiness}`
      : `${config.arrival} arrivals`;
  return `open loop, ${formatRequestsPerSecond(config.requestRate)} (${arrival}), at most ${config.concurrency} in flight`;
}

function runFacts(input: ReportInput): Fact[] {
  const { current, baseline } = input;
  const { summary, config, selfCheck, endpoint, provenance } = current;
  const { ttft, ttfb, ttfo, scheduleDelay, ttftFromSchedule } = summary.distributions;
  const length = summary.outputLength;
  const facts: Fact[] = [
    {
      label: 'Measured requests',
      value:
        `${formatCount(summary.requests)} (${formatCount(summary.succeeded)} ok, ${formatCount(summary.failed)} failed)` +
        stoppingText(current),
    },
    {
      label: 'Warm-up',
      value: `${plural(current.warmup.requests, 'request')} (${formatCount(current.warmup.failed)} failed), not counted`,
    },
    { label: 'Load', value: loadText(config) },
    {
      label: 'Stop condition',
      value: `${plural(config.requests, 'request')}${config.durationMs !== undefined ? ` or ${formatDuration(config.durationMs)}` : ''}`,
    },
    { label: 'Measurement window', value: formatDuration(summary.windowMs) },
    { label: 'Started', value: formatDate(current.startedAt) ?? current.startedAt },
    { label: 'Timeout per request', value: formatDuration(config.timeoutMs) },
    { label: 'Seed', value: String(config.seed) },
    { label: 'Trials', value: formatCount(Math.max(current.trials.length, 1)) },
    { label: 'API', value: config.api },
    {
      label: 'Prompt mix',
      value: `${config.promptMix} (fingerprint ${current.key.mixFingerprint.slice(0, 12)})`,
    },
    { label: 'Cache busting', value: config.cacheBust ? 'on (unique nonce per request)' : 'off' },
  ];
  const extraFields = Object.keys(config.extraBody);
  if (extraFields.length > 0)
    facts.push({ label: 'Extra body fields', value: extraFields.join(', ') });
  // Lengths exist only for answers: a run where every request failed has none to show.
  if (summary.succeeded > 0) {
    facts.push({
      label: 'Output length',
      value:
        `max_tokens ${range(length.requestedMin, length.requestedMax)} requested; ` +
        `${range(length.receivedMin, length.receivedMax)} tokens received` +
        (length.shorterThanRequested > 0
          ? `; ${plural(length.shorterThanRequested, 'request')} ended before max_tokens`
          : ''),
    });
  }
  facts.push(
    { label: 'Output token counts', value: tokenCountingText(summary) },
    {
      label: 'Time to first byte p95',
      value: `${ms(ttfb, ttfb.p95Ms)} (TTFT p95 ${ms(ttft, ttft.p95Ms)})`,
    },
  );
  if (ttfo.count > 0 && ttfo.p95Ms !== ttft.p95Ms) {
    facts.push({ label: 'Time to first output token p95', value: ms(ttfo, ttfo.p95Ms) });
  }
  if (endpoint.connections) {
    const { reconnects, reuseStopped } = endpoint.connections;
    facts.push({
      label: 'Connections',
      value: `reconnects: ${formatCount(reconnects)}${reuseStopped ? `; reuse stopped: ${reuseStopped}` : '; kept alive'}`,
    });
  }
  facts.push(
    { label: 'Server header', value: endpoint.server ?? 'not sent' },
    { label: 'system_fingerprint', value: endpoint.systemFingerprint ?? 'not sent' },
  );
  if (endpoint.models && endpoint.models.length > 0) {
    const more = endpoint.models.length > 5 ? ` and ${endpoint.models.length - 5} more` : '';
    facts.push({
      label: 'Models served',
      value: `${endpoint.models.slice(0, 5).join(', ')}${more}`,
    });
  }
  facts.push({
    label: 'Load generator self-check',
    value:
      `event-loop utilization ${formatPercent(selfCheck.eventLoopUtilization, 0)}, ` +
      `timer lag p99 ${formatMs(selfCheck.timerLagP99Ms)} (max ${formatMs(selfCheck.timerLagMaxMs)}), ` +
      (selfCheck.dispatchLagP95Ms !== undefined
        ? `dispatch lag p95 ${formatMs(selfCheck.dispatchLagP95Ms)}, `
        : '') +
      (selfCheck.saturated ? 'SATURATED' : 'not saturated'),
  });
  if (selfCheck.requestedRate !== undefined) {
    facts.push({
      label: 'Arrival rate',
      value: `${formatRequestsPerSecond(selfCheck.achievedRate)} achieved of ${formatRequestsPerSecond(selfCheck.requestedRate)} requested`,
    });
  }
  if (config.requestRate !== undefined) {
    facts.push(
      { label: 'Schedule delay p95', value: ms(scheduleDelay, scheduleDelay.p95Ms) },
      { label: 'TTFT from schedule p95', value: ms(ttftFromSchedule, ttftFromSchedule.p95Ms) },
    );
  }
  if (current.partial) {
    facts.push({ label: 'Partial', value: 'yes: stopped early, figures cover finished requests' });
  }
  facts.push(
    {
      label: 'This run',
      value: [commitText(input.commitSha ?? provenance.commit), provenance.ref, provenance.runnerOs]
        .filter(Boolean)
        .join(' · '),
    },
    { label: 'Tool version', value: `llm-perf-gate ${current.tool.version}` },
  );
  if (baseline) {
    facts.push({
      label: 'Baseline',
      value: [
        input.baselinePath,
        commitText(baseline.provenance.commit),
        formatDate(baseline.provenance.date) ?? baseline.provenance.date,
        `llm-perf-gate ${baseline.tool.version}`,
        plural(baseline.summary.requests, 'request'),
        plural(Math.max(baseline.trials.length, 1), 'trial'),
      ]
        .filter(Boolean)
        .join(' · '),
    });
  }
  return facts;
}

function range(min: number, max: number): string {
  return min === max ? formatCount(min) : `${formatCount(min)}–${formatCount(max)}`;
}

/** Measure until decided: where the run stopped, or that it needed the whole budget. */
function stoppingText(current: RunResults): string {
  const sequential = current.sequential;
  if (!sequential) return '';
  const budget = formatCount(sequential.looks[sequential.looks.length - 1] ?? 0);
  const looks = sequential.looks.length;
  return sequential.stoppedAtLook !== undefined
    ? `, decided at look ${sequential.stoppedAtLook} of ${looks} (budget ${budget})`
    : `, undecided until the budget (${budget}, ${looks} looks)`;
}
