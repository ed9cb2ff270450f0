import type { z } from 'zod';
import type { ErrorOf } from '../json-file.js';
import { decodeHistogram, percentileFigures } from '../metrics/histogram.js';
import { ratesOf } from '../metrics/recorder.js';
import {
  DISTRIBUTIONS,
  type Distributions,
  type EncodedHistograms,
  type RunResults,
  type RunSummary,
} from '../domain/results.js';
import type { DistributionSummary } from '../domain/results.js';

/**
 * Checks parsed JSON that claims to be results (a results file, or a baseline's `results`):
 * every field the schema names, then that each histogram decodes and agrees with the figures
 * next to it. `subject` names the file (`baseline baselines/x.json`), `prefix` where the results
 * sit in it (`results`). Returns the value unchanged, typed; a problem is one line naming the
 * field.
 */
export async function checkRunResults(
  value: unknown,
  subject: string,
  errorOf: ErrorOf,
  prefix?: string,
): Promise<RunResults> {
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  // zod is most of the bundle's size: only a run that reads results or a baseline loads it.
  const { runResultsSchema } = await import('./schema.js');
  const parsed = runResultsSchema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const path = formatPath([...(prefix ? [prefix] : []), ...(issue?.path ?? [])]);
    throw errorOf(`${subject}: ${issue ? describeIssue(issue, value, path) : 'invalid'}`);
  }
  // The parsed config: an unversioned one comes back with the settings it lacked filled in.
  const results: RunResults = { ...(value as RunResults), config: parsed.data.config };
  if (results.paired && parsed.data.paired) {
    results.paired = {
      ...results.paired,
      reference: { ...results.paired.reference, config: parsed.data.paired.reference.config },
    };
  }
  const problem = histogramProblem(results, at) ?? rateProblem(results, at);
  if (problem) throw errorOf(`${subject}: ${problem}`);
  return results;
}

/**
 * HDR keeps 3 significant digits: a figure and the one recomputed from its histogram agree to
 * 0.1% and the last microsecond's rounding. Twice that, for margin; more is an edit or damage.
 */
const AGREEMENT = { relative: 0.002, absolute: 0.002 };

/** The figures the gate reads, each against its histogram; the first problem, or undefined. */
function histogramProblem(results: RunResults, at: (path: string) => string): string | undefined {
  const groups: Array<[path: string, Distributions, EncodedHistograms | undefined]> = [
    ['summary.distributions', results.summary.distributions, results.histograms.overall],
    ...Object.entries(results.perClass).map(
      ([name, figures]): [string, Distributions, EncodedHistograms | undefined] => [
        `perClass[${JSON.stringify(name)}].distributions`,
        figures.distributions,
        results.histograms.perClass[name],
      ],
    ),
  ];
  for (const [path, distributions, encoded] of groups) {
    if (!encoded) return `${at(path)} has no histograms (${at('histograms.perClass')})`;
    for (const name of DISTRIBUTIONS) {
      let recomputed: ReturnType<typeof percentileFigures>;
      try {
        recomputed = percentileFigures(decodeHistogram(encoded[name]));
      } catch {
        return `the ${name} histogram of ${at(path)} is not an encoded HDR histogram`;
      }
      const disagreement = disagreeing(distributions[name], recomputed);
      if (disagreement) {
        const [field, recorded, fromHistogram] = disagreement;
        return (
          `${at(`${path}.${name}.${field}`)} is ${recorded} but its histogram says ${fromHistogram}: ` +
          'the figures were edited or damaged'
        );
      }
    }
  }
  return undefined;
}

/**
 * The summary's rates and error rate against the counts and window beside them, by the one
 * arithmetic that made them (ratesOf).
 */
function rateProblem(results: RunResults, at: (path: string) => string): string | undefined {
  const { summary } = results;
  const expected: Partial<Record<keyof RunSummary, number>> = {
    ...ratesOf(summary, summary.windowMs, summary.goodputRequestsPerSecond !== undefined),
    errorRate: summary.requests > 0 ? summary.failed / summary.requests : 0,
  };
  for (const [field, value] of Object.entries(expected) as Array<[keyof RunSummary, number]>) {
    const recorded = summary[field] as number;
    if (!agree(recorded, value)) {
      return (
        `${at(`summary.${field}`)} is ${recorded} but the counts and window beside it give ` +
        `${Number(value.toPrecision(6))}: the figures were edited or damaged`
      );
    }
  }
  return undefined;
}

function agree(a: number, b: number): boolean {
  return (
    Math.abs(a - b) <= AGREEMENT.relative * Math.max(Math.abs(a), Math.abs(b)) + AGREEMENT.absolute
  );
}

/** The first figure of `recomputed` that `recorded` does not match: counts exactly, times by agree. */
function disagreeing(
  recorded: DistributionSummary,
  recomputed: ReturnType<typeof percentileFigures>,
): [field: keyof DistributionSummary, recorded: number, recomputed: number] | undefined {
  for (const field of Object.keys(recomputed) as Array<keyof typeof recomputed>) {
    const matches =
      field === 'count'
        ? recorded.count === recomputed.count
        : agree(recorded[field], recomputed[field]);
    if (!matches) return [field, recorded[field], recomputed[field]];
  }
  return undefined;
}

/** `summary.errorRate must be a number, not a string ("0")`: the field, then what is wrong. */
function describeIssue(issue: z.core.$ZodIssue, value: unknown, path: string): string {
  const found = valueAt(value, issue.path);
  if (found === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    return `${path} is missing`;
  }
  switch (issue.code) {
    case 'invalid_type':
      return `${path} must be ${article(issue.expected)}, not ${describeValue(found)}`;
    case 'too_small':
      return `${path} must be ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}, not ${describeValue(found)}`;
    case 'too_big':
      return `${path} must be ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}, not ${describeValue(found)}`;
    case 'invalid_value':
      return `${path} must be ${issue.values.map((allowed) => JSON.stringify(allowed)).join(' or ')}, not ${describeValue(found)}`;
    default:
      return `${path}: ${issue.message}`;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(part))
          ? `${index === 0 ? '' : '.'}${String(part)}`
          : `[${JSON.stringify(String(part))}]`,
    )
    .join('');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** What was found, short: a type and, for scalars, the value (`a string ("fast")`). */
function describeValue(found: unknown): string {
  if (found === null) return 'null';
  if (Array.isArray(found)) return 'an array';
  if (typeof found === 'object') return 'an object';
  if (typeof found === 'string') {
    const shown = found.length > 24 ? `${found.slice(0, 24)}…` : found;
    return `a string (${JSON.stringify(shown)})`;
  }
  return String(found);
}
