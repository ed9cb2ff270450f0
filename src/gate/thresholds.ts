import { InputError } from '../errors.js';
import {
  ERROR_RATE,
  isDistributionName,
  isOpenLoop,
  publishedMetrics,
  isPercentileSuffix,
  metricInfo,
  DISTRIBUTION_NAMES_HINT,
  METRIC_HINT,
  SERVER_METRIC_HINT,
  type MetricInfo,
} from '../metrics/catalogue.js';
import type { Slo } from '../domain/config.js';
import type { Warning } from '../domain/results.js';
import type { Threshold } from '../domain/judgement.js';

/**
 * The `thresholds` grammar (README "Thresholds"). One `metric: expression` per line, or several
 * separated by `,` or `;`; blank lines and `#` comments are ignored.
 *
 *   ttft.p95: +10%          relative: may rise at most 10% (latencies, error-free metrics)
 *   output_tokens_per_second: -10%   may fall at most 10%
 *   e2e.p95: +250ms         absolute change (ms or s); error_rate: +1pp (percentage points)
 *   ttft.p99: < 800ms       limit on the current value (<, <=; > or >= for throughputs)
 *   error_rate: < 0.5%      limit on the error rate (percent, or a fraction 0..1)
 *   ttft: p(95)<800         the k6 form (ms); also med, max; error_rate: rate<0.01
 *   ttft: p(95)<800, p(99)<1200    further k6 expressions continue the same metric
 *   error_rate: off         drops a default
 *   server.queue_time.p95: +20%     the server's own figures (metrics-url): limits and changes,
 *   server.preemptions: < 1         judged without a noise test (src/gate/server-checks.ts)
 *
 * A relative change carries the sign of the bad direction: `+` for metrics that are worse when
 * they rise, `-` for throughputs, which are worse when they fall. A bare `10%` means the bad one.
 */

/**
 * The metrics whose default depends on the loop (TTFT, and TTFT from schedule in open loop): a
 * user line for either replaces the default.
 */
const TTFT_METRICS = new Set(
  publishedMetrics().flatMap((info) => (info.defaultThreshold?.loop ? [info.metric] : [])),
);

/**
 * The default thresholds. In open loop TTFT is judged from each request's scheduled time: a
 * server that falls behind makes requests wait before they leave, and that wait is what its users
 * feel (coordinated omission); TTFT from the actual send would hide it.
 */
export function defaultThresholds(options: ThresholdOptions = {}): Threshold[] {
  const attainment = options.sloAttainment;
  const loop = options.openLoop ? 'open' : 'closed';
  return [
    ...publishedMetrics().flatMap(({ metric, direction, defaultThreshold }): Threshold[] => {
      if (!defaultThreshold || (defaultThreshold.loop && defaultThreshold.loop !== loop)) return [];
      const { kind, value, written } = defaultThreshold;
      const note = defaultThreshold.loop === 'open' ? 'default, open loop' : 'default';
      return [{ metric, kind, value, direction, source: `${metric}: ${written} (${note})` }];
    }),
    // SLOs the user set are a promise about this run: a limit, with or without a baseline.
    ...(attainment !== undefined
      ? [
          {
            metric: 'slo_attainment',
            kind: 'limit' as const,
            value: attainment,
            direction: 'lower-is-worse' as const,
            inclusive: true,
            source: `slo_attainment: >= ${asPercent(attainment)} (slo-attainment, with SLOs)`,
          },
        ]
      : []),
  ];
}

export interface ThresholdOptions {
  /** Open loop: TTFT is judged from the scheduled time. */
  openLoop?: boolean;
  /** SLOs set (and no sweep): the share of requests that must meet them. */
  sloAttainment?: number;
}

/** The default-threshold options of a plan: open loop, and the SLO attainment when SLOs are set. */
export function thresholdOptions(
  plan: Parameters<typeof isOpenLoop>[0] & { slo?: Slo | undefined },
  sloAttainment: number,
): ThresholdOptions {
  const hasSlo = Object.values(plan.slo ?? {}).some((value) => value !== undefined);
  // A sweep goes past the SLOs on purpose to find the knee, which judges them per level.
  return {
    openLoop: isOpenLoop(plan),
    ...(hasSlo && !plan.sweep ? { sloAttainment } : {}),
  };
}

/** A fraction as the thresholds grammar writes it: 0.05 → `5%`. */
function asPercent(fraction: number): string {
  return `${+(fraction * 100).toPrecision(3)}%`;
}

interface Parsed {
  thresholds: Threshold[];
  /** Metrics whose defaults the user turned off. */
  disabled: string[];
}

/** The user's thresholds only (no defaults). Throws InputError('thresholds', …) on a bad line. */
export function parseThresholds(text: string): Threshold[] {
  return parse(text).thresholds;
}

/**
 * Defaults plus the user's: a user line for a metric replaces its default (either TTFT metric
 * replaces the TTFT default); `off` drops it.
 */
export function resolveThresholds(text: string, options: ThresholdOptions = {}): Threshold[] {
  const { thresholds, disabled } = parse(text);
  const replaces = (fallback: string, metric: string) =>
    metric === fallback || (TTFT_METRICS.has(fallback) && TTFT_METRICS.has(metric));
  // A user line takes its default's place, so the table keeps the defaults' order.
  const resolved: Threshold[] = [];
  const placed = new Set<Threshold>();
  for (const fallback of defaultThresholds(options)) {
    const replacing = thresholds.filter((threshold) => replaces(fallback.metric, threshold.metric));
    for (const threshold of replacing) placed.add(threshold);
    if (replacing.length > 0) resolved.push(...replacing);
    else if (!disabled.some((metric) => replaces(fallback.metric, metric))) resolved.push(fallback);
  }
  resolved.push(...thresholds.filter((threshold) => !placed.has(threshold)));
  return resolved;
}

function parse(text: string): Parsed {
  const parsed: Parsed = { thresholds: [], disabled: [] };
  // The metric a bare k6 expression (`p(99)<1200`, `- p(99)<1200`) continues.
  let context: { written: string; line: number; used: boolean } | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    const lineNumber = index + 1;
    // k6 writes lists as ['p(95)<800', 'p(99)<1200']: brackets and quotes carry no meaning here.
    const line = rawLine.replace(/#.*$/, '').replace(/[[\]'"]/g, '');
    for (const rawSegment of line.split(/[,;]/)) {
      const listItem = /^-\s/.test(rawSegment.trim());
      const segment = rawSegment.trim().replace(/^-\s+/, '');
      if (segment === '') continue;
      const fail: Fail = (message) => {
        throw new InputError(
          'thresholds',
          `thresholds line ${lineNumber} "${segment}": ${message}`,
        );
      };
      const colon = segment.indexOf(':');
      let written: string;
      let expression: string;
      if (colon >= 0) {
        if (context && !context.used) failUnused(context);
        written = segment.slice(0, colon).trim();
        expression = segment.slice(colon + 1).trim();
        context = { written, line: lineNumber, used: expression !== '' };
        if (expression === '') continue;
      } else {
        // Only k6 expressions and list items continue a metric: anything else lacks its name.
        if (!context || !(listItem || K6_START.test(segment))) {
          fail('expected "metric: expression", e.g. "ttft.p95: +10%"');
        }
        written = context.written;
        expression = segment;
        context.used = true;
      }
      const outcome = parseSegment(written, expression, fail);
      if (outcome === 'off') parsed.disabled.push(metricInfo(written)?.metric ?? written);
      else parsed.thresholds.push({ ...outcome, source: `${written}: ${expression}` });
    }
  }
  if (context && !context.used) failUnused(context);
  return parsed;
}

function failUnused(context: { written: string; line: number }): never {
  throw new InputError(
    'thresholds',
    `thresholds line ${context.line} "${context.written}:": no expression; ` +
      'write one after the colon or on the following "- ..." lines',
  );
}

type Fail = (message: string) => never;

const K6_START = /^(p\(|med|max|avg|min|rate)/i;

function parseSegment(
  written: string,
  expression: string,
  fail: Fail,
): Omit<Threshold, 'source'> | 'off' {
  const k6 = /^(p\(\s*([\d.]+)\s*\)|med|max|avg|min|rate)\s*(<=|>=|<|>)\s*(.+)$/i.exec(expression);
  const baseName = written.toLowerCase();
  if (k6) {
    const [, aggregate, percentileText, operator, valueText] = k6;
    return parseK6(baseName, aggregate!.toLowerCase(), percentileText, operator!, valueText!, fail);
  }
  const info = metricInfo(written);
  if (!info) {
    if (isDistributionName(baseName)) {
      fail(`"${written}" needs a percentile: write ${baseName}.p95 or the k6 form p(95)<800`);
    }
    const hint = baseName.startsWith('server.') ? SERVER_METRIC_HINT : METRIC_HINT;
    fail(`unknown metric "${written}"; expected one of ${hint}`);
  }
  return parseExpression(info, expression, fail);
}

function parseK6(
  baseName: string,
  aggregate: string,
  percentileText: string | undefined,
  operator: string,
  valueText: string,
  fail: Fail,
): Omit<Threshold, 'source'> | 'off' {
  if (aggregate === 'rate') {
    const errorRate = metricInfo(baseName);
    if (errorRate?.kind !== 'error-rate') fail('the k6 form rate<N applies to error_rate only');
    return parseExpression(errorRate, `${operator} ${valueText}`, fail);
  }
  if (aggregate === 'avg' || aggregate === 'min') {
    fail(`k6 "${aggregate}" is not gated (a mean hides the tail); use p(50), p(95), p(99) or max`);
  }
  if (!isDistributionName(baseName)) {
    fail(`the k6 form p(N)<ms applies to ${DISTRIBUTION_NAMES_HINT}, not "${baseName}"`);
  }
  const suffix =
    aggregate === 'med' ? 'p50' : aggregate === 'max' ? 'max' : `p${Number(percentileText)}`;
  const info = isPercentileSuffix(suffix) ? metricInfo(`${baseName}.${suffix}`) : undefined;
  if (!info) {
    fail(`unsupported percentile p(${percentileText}); use p(50), p(90), p(95), p(99) or p(99.9)`);
  }
  // k6 thresholds on trend metrics are in milliseconds.
  const unitless = /^[\d.]+$/.test(valueText.trim()) ? `${valueText.trim()}ms` : valueText;
  return parseExpression(info, `${operator} ${unitless}`, fail);
}

function parseExpression(
  info: MetricInfo,
  expression: string,
  fail: Fail,
): Omit<Threshold, 'source'> | 'off' {
  const text = expression.trim().toLowerCase();
  if (text === 'off' || text === 'none') return 'off';
  const match = /^(<=|>=|<|>|\+|-)?\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z%/]*)$/.exec(text);
  if (!match) {
    fail(
      'expected a relative change (+10%), an absolute change (+50ms, +1pp), ' +
        'a limit (< 800ms, > 500) or the k6 form (p(95)<800)',
    );
  }
  const [, sign = '', numberText = '', unit = ''] = match;
  const amount = Number(numberText);
  const isLimit = sign.startsWith('<') || sign.startsWith('>');
  const worseSign = info.direction === 'higher-is-worse' ? '+' : '-';
  const worseWord = info.direction === 'higher-is-worse' ? 'rises' : 'falls';
  const base = { metric: info.metric, direction: info.direction };

  if (isLimit) {
    const upper = sign.startsWith('<');
    if (upper !== (info.direction === 'higher-is-worse')) {
      const correct = upper ? '>' : '<';
      fail(`${info.metric} is worse when it ${worseWord}: write its limit as ${correct} N`);
    }
    return {
      ...base,
      kind: 'limit',
      value: limitValue(info, amount, unit, fail),
      inclusive: sign.length === 2,
    };
  }
  if (sign !== '' && sign !== worseSign) {
    const verb = info.direction === 'higher-is-worse' ? 'rise' : 'fall';
    fail(
      `${info.metric} is worse when it ${worseWord}: write ${worseSign}${numberText}${unit} ` +
        `(it may ${verb} at most ${numberText}${unit})`,
    );
  }
  if (info.kind === 'error-rate') {
    if (unit !== 'pp') {
      fail('error_rate changes are in percentage points: write +1pp, or a limit such as < 0.5%');
    }
    return { ...base, kind: 'absolute-change', value: amount / 100 };
  }
  if (unit === '%') {
    if (amount <= 0 || (info.direction === 'lower-is-worse' && amount >= 100)) {
      fail('a relative change must be above 0% (and below 100% for a fall)');
    }
    return { ...base, kind: 'relative', value: amount / 100 };
  }
  if (sign === '') {
    fail(`an absolute change needs its sign: write ${worseSign}${numberText}${unit}`);
  }
  return { ...base, kind: 'absolute-change', value: scaled(info, amount, unit, fail) };
}

function limitValue(info: MetricInfo, amount: number, unit: string, fail: Fail): number {
  if (info.unit !== 'fraction') return scaled(info, amount, unit, fail);
  if (unit === '%') return amount / 100;
  if (unit !== '')
    fail(`${info.metric} limits are a percent (0.5%) or a fraction (0.005), not "${unit}"`);
  if (amount > 1)
    fail(`${info.metric} ${amount} is above 1: write a percent (${amount}%) or a fraction`);
  return amount;
}

/** An amount in the metric's unit: ms for latencies, per second for throughputs. */
function scaled(info: MetricInfo, amount: number, unit: string, fail: Fail): number {
  if (info.unit === 'ms') {
    if (unit === '' || unit === 'ms') return amount;
    if (unit === 's') return amount * 1000;
    return fail(`${info.metric} is a latency: use ms or s, not "${unit}"`);
  }
  if (unit === '' || unit === info.unit || unit === '/s') return amount;
  return fail(`${info.metric} is in ${info.unit}: write a plain number, not "${unit}"`);
}

/** What a run with no baseline is judged by, and what it cannot be judged by yet. */
export interface WithoutBaseline {
  /** The user's absolute limits, plus the error-rate ceiling unless an error-rate limit is set. */
  limits: Threshold[];
  /** Changes against a baseline (`+10%`, `+1pp`): nothing to compare with yet. */
  comparisons: Threshold[];
}

/**
 * A first run is still judged on what needs no baseline: every limit, and an error-rate ceiling
 * (baseline-max-error-rate, the rate above which a run may not become a baseline either), so that
 * a broken endpoint never passes just because nothing was recorded for it yet.
 */
export function limitsWithoutBaseline(
  thresholds: readonly Threshold[],
  errorCeiling: number,
): WithoutBaseline {
  const limits = thresholds.filter((threshold) => threshold.kind === 'limit');
  const comparisons = thresholds.filter((threshold) => threshold.kind !== 'limit');
  if (!limits.some((threshold) => threshold.metric === ERROR_RATE)) {
    limits.push({
      metric: ERROR_RATE,
      kind: 'limit',
      value: errorCeiling,
      direction: 'higher-is-worse',
      inclusive: true,
      source: `${ERROR_RATE}: <= ${asPercent(errorCeiling)} (baseline-max-error-rate, no baseline yet)`,
    });
  }
  return { limits, comparisons };
}

/**
 * The one line a first run says about the thresholds it could not apply: never a silent skip.
 * Names the input, so the user knows which lines wait for a baseline.
 */
export function comparisonsWithoutBaselineWarnings(
  thresholds: readonly Threshold[],
  config: { baselineMaxErrorRate: number },
): Warning[] {
  const { comparisons, limits } = limitsWithoutBaseline(thresholds, config.baselineMaxErrorRate);
  if (comparisons.length === 0) return [];
  return [
    {
      code: 'baseline',
      message:
        `thresholds ${comparisons.map((threshold) => `"${threshold.source}"`).join(', ')} ` +
        'compare with a baseline and are not judged until one exists (run mode update-baseline); ' +
        `judged now: ${limits.map((threshold) => `"${threshold.source}"`).join(', ')}`,
    },
  ];
}
