/**
 * The server's side of the report: the diagnosis sentence under the headline and the "Server
 * view" section (baseline vs current), from the results' `server` section. Markdown and terminal
 * share the rows built here; each renderer escapes what it draws.
 */
import { markdownTable } from 'markdown-table';
import { diagnosisLines } from '../gate/diagnosis.js';
import { serverViewFigures } from '../metrics/catalogue.js';
import type { RunResults } from '../domain/results.js';
import type { ServerView } from '../domain/server-view.js';
import { escapeMarkdown, escapeTerminal } from './escape.js';
import { MISSING, formatSignedPercent, formatValue } from '../format.js';
import type { ReportInput } from './types.js';

interface ServerRow {
  label: string;
  baseline?: string;
  current: string;
  delta?: string;
}

/** Generic rows for an unknown server: enough to see what moved; the rest is in the results. */
const MAX_GENERIC_ROWS = 40;

function rowsOf(current: ServerView, baseline: ServerView | undefined): ServerRow[] {
  if (current.server === 'unknown') return genericRows(current, baseline);
  return serverViewFigures().flatMap((spec) => {
    const now = spec.read(current);
    const before = baseline ? spec.read(baseline) : undefined;
    if (now === undefined && before === undefined) return [];
    const shown = (view: ServerView, value: number | undefined) => {
      const floor = spec.floor?.(view);
      return value !== undefined && floor !== undefined && value <= floor
        ? `≤ ${formatValue(floor, spec.unit)}`
        : formatValue(value, spec.unit);
    };
    const floored = (view: ServerView | undefined, value: number | undefined) =>
      view !== undefined && shown(view, value).startsWith('≤');
    return [
      {
        label: spec.viewLabel,
        current: shown(current, now),
        ...(baseline ? { baseline: shown(baseline, before) } : {}),
        // A change between two "≤ bound" figures means nothing.
        ...(baseline
          ? {
              delta:
                floored(current, now) || floored(baseline, before) ? MISSING : change(before, now),
            }
          : {}),
      },
    ];
  });
}

function genericRows(current: ServerView, baseline: ServerView | undefined): ServerRow[] {
  const generic = current.generic;
  if (!generic) return [];
  const counters = Object.entries(generic.counters).map(([name, value]) => {
    const before = baseline?.generic?.counters[name];
    return row(`${name} (Δ)`, value, before, baseline !== undefined);
  });
  const gauges = Object.entries(generic.gauges).map(([name, figures]) => {
    const before = baseline?.generic?.gauges[name]?.mean;
    return row(
      `${name} (mean, max ${formatValue(figures.max, 'count')})`,
      figures.mean,
      before,
      baseline !== undefined,
    );
  });
  return [...counters, ...gauges].slice(0, MAX_GENERIC_ROWS);
}

function row(label: string, now: number, before: number | undefined, compared: boolean): ServerRow {
  return {
    label,
    current: formatValue(now, 'count'),
    ...(compared ? { baseline: formatValue(before, 'count'), delta: change(before, now) } : {}),
  };
}

function change(before: number | undefined, now: number | undefined): string {
  if (before === undefined || now === undefined || before === 0) return MISSING;
  return formatSignedPercent((now - before) / before);
}

function describe(current: ServerView, baseline: ServerView | undefined): string {
  const scrapes = `${current.scrapes} scrapes${current.failedScrapes > 0 ? ` (${current.failedScrapes} failed)` : ''}`;
  const other =
    baseline && baseline.server !== current.server
      ? ` The baseline's server was ${baseline.serverLabel}: rows may not compare.`
      : '';
  const percentiles =
    current.server === 'unknown'
      ? "An unknown server: each counter's change over the measured phases and each gauge's mean."
      : "Percentiles are interpolated within the server's histogram buckets, as Prometheus' histogram_quantile() does; means are exact.";
  return `${current.serverLabel} at ${current.url} · ${scrapes}. ${percentiles}${other}`;
}

function sides(input: ReportInput): { current?: ServerView; baseline?: ServerView } {
  const current: RunResults['server'] = input.current.server;
  return {
    ...(current ? { current } : {}),
    ...(input.baseline?.server ? { baseline: input.baseline.server } : {}),
  };
}

/** `**Diagnosis:** …` under the headline (a line per sweep level); empty when nothing regressed. */
export function renderDiagnosisMarkdown(input: ReportInput): string {
  return diagnosisLines(input.diagnoses ?? [])
    .map((line) => `**Diagnosis:** ${escapeMarkdown(line, 2000)}`)
    .join('\n\n');
}

export function renderDiagnosisTerminal(input: ReportInput): string {
  return diagnosisLines(input.diagnoses ?? [])
    .map((line) => `Diagnosis: ${escapeTerminal(line, 2000)}`)
    .join('\n');
}

/** The "Server view" section; empty when this run has no metrics-url. */
export function renderServerViewMarkdown(input: ReportInput): string {
  const { current, baseline } = sides(input);
  if (!current) return '';
  const rows = rowsOf(current, baseline);
  const e = (text: string | undefined) => escapeMarkdown(text ?? MISSING);
  const header = baseline ? ['Server', 'Baseline', 'Current', 'Δ'] : ['Server', 'Current'];
  const body = rows.map((r) =>
    baseline ? [e(r.label), e(r.baseline), e(r.current), e(r.delta)] : [e(r.label), e(r.current)],
  );
  const table =
    rows.length > 0
      ? markdownTable([header, ...body], {
          align: header.map((_, index) => (index === 0 ? 'l' : 'r')),
          alignDelimiters: false,
        })
      : '';
  // Its warnings are in the report's Warnings already (results.warnings, code server-metrics).
  return ['#### Server view', `<sub>${e(describe(current, baseline))}</sub>`, table]
    .filter(Boolean)
    .join('\n\n');
}

export function renderServerViewTerminal(
  input: ReportInput,
  table: (rows: string[][], align: Array<'l' | 'r'>) => string,
): string {
  const { current, baseline } = sides(input);
  if (!current) return '';
  const t = (text: string | undefined) => escapeTerminal(text ?? MISSING);
  const rows = rowsOf(current, baseline).map((r) =>
    baseline ? [t(r.label), t(r.baseline), t(r.current), t(r.delta)] : [t(r.label), t(r.current)],
  );
  const header = baseline ? ['', 'baseline', 'current', 'Δ'] : ['', 'current'];
  return [
    `Server view: ${t(describe(current, baseline))}`,
    rows.length > 0
      ? table(
          [header, ...rows],
          header.map((_, index) => (index === 0 ? 'l' : 'r')),
        )
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}
