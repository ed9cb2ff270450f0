/**
 * The report as plain aligned text for a terminal (the CLI). Same content as the markdown
 * report, minus the chart; every drawn string goes through escapeTerminal so that text from the
 * endpoint cannot smuggle in control sequences. ANSI colours only when asked for.
 */
import { renderDiagnosisTerminal, renderServerViewTerminal } from './server-view.js';
import type { CheckStatus, Verdict } from '../domain/judgement.js';
import { escapeTerminal } from './escape.js';
import { MISSING, formatCount } from '../format.js';
import { buildReportModel, comparedColumns, type MetricRow, type ReportModel } from './model.js';
import { nextStep, nextStepText } from './next-steps.js';
import { sweepTable } from './sweep.js';
import type { ReportInput } from './types.js';

export interface TerminalOptions {
  color?: boolean;
}

type Color = 'red' | 'green' | 'yellow' | 'cyan' | 'bold';
const ANSI: Record<Color, string> = {
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  bold: '\u001b[1m',
};
const RESET = '\u001b[0m';

const VERDICTS: Record<Verdict, { text: string; color: Color }> = {
  pass: { text: 'PASS', color: 'green' },
  regression: { text: 'REGRESSION', color: 'red' },
  inconclusive: { text: 'INCONCLUSIVE', color: 'yellow' },
  'no-baseline': { text: 'NO BASELINE', color: 'cyan' },
  updated: { text: 'BASELINE UPDATED', color: 'cyan' },
  unhealthy: { text: 'UNHEALTHY', color: 'red' },
  cancelled: { text: 'CANCELLED', color: 'yellow' },
};

const STATUSES: Record<CheckStatus, { text: string; color?: Color }> = {
  pass: { text: 'ok' },
  regression: { text: 'REGRESSION', color: 'red' },
  noise: { text: 'noise', color: 'yellow' },
  improvement: { text: 'improved', color: 'green' },
  insufficient: { text: 'insufficient', color: 'yellow' },
};
/** What an ungated row may show: a pass there was never judged, so it gets a dash, not `ok`. */
const UNGATED_STATUSES = new Set<CheckStatus>(['noise', 'improvement', 'insufficient']);

/** The status a metrics row shows, if any (none for a row without a status). */
function rowStatus(row: MetricRow): { text: string; color?: Color } | undefined {
  if (!row.status) return undefined;
  if (row.failuresWithinLimit) return { text: 'ok, within limit (see warnings)', color: 'yellow' };
  if (!row.gated && !UNGATED_STATUSES.has(row.status)) return { text: MISSING };
  return STATUSES[row.status];
}

/** Facts worth a line in a terminal; the rest are in the results file and the markdown report. */
const TERMINAL_FACTS = new Set([
  'Measured requests',
  'Warm-up',
  'Load',
  'Measurement window',
  'Seed',
  'Server header',
  'Load generator self-check',
  'Arrival rate',
  'Baseline',
]);
const MAX_CLASS_ROWS = 50;
/** Reasons and warnings are our own sentences: room to finish them. */
const LIST_ITEM_LENGTH = 800;
/** A server's error body can be a page of HTML: one line's worth tells what went wrong. */
const FIRST_ERROR_LENGTH = 200;

const t = (text: string | undefined) => escapeTerminal(text ?? MISSING);

export function renderTerminal(input: ReportInput, options: TerminalOptions = {}): string {
  const model = buildReportModel(input);
  const paint = (text: string, color: Color | undefined) =>
    options.color && color ? `${ANSI[color]}${text}${RESET}` : text;

  const sections = [
    headline(model, paint),
    renderDiagnosisTerminal(input),
    metricsTable(model, paint),
    sweepSection(input),
    list('Why', model.reasons),
    list(
      'Warnings',
      model.notices.map((notice) => notice.text),
      model.notices.map((notice) => (notice.level === 'alert' ? '!' : '-')),
    ),
    renderServerViewTerminal(input, (rows, align) => alignedTable(rows, align, '  ')),
    classTable(model),
    errorsSection(model),
    facts(model),
    nextStepLine(input),
  ];
  return sections.filter((section) => section.length > 0).join('\n\n') + '\n';
}

function headline(model: ReportModel, paint: (text: string, color?: Color) => string): string {
  const verdict =
    model.mode === 'report' && model.verdict === 'pass'
      ? { text: 'REPORT', color: 'bold' as const }
      : VERDICTS[model.verdict];
  const { key } = model;
  const keyText = `${t(key.model)} · ${t(key.hardware)} · ${t(key.mixName)} (${t(key.fingerprint)}, ${t(key.api)})`;
  const current = model.currentCommit ? `${t(model.currentCommit)} (this run)` : 'this run';
  const word =
    model.headlineNote && model.verdict === 'pass' && model.mode !== 'report'
      ? paint('PASS, BUT', 'yellow')
      : paint(verdict.text, verdict.color);
  const lines = [`${word}  ${keyText}`];
  const note = model.headlineNote;
  if (note) lines.push(`${t(note.charAt(0).toUpperCase() + note.slice(1))}.`);
  if (model.referenceLine) {
    lines.push(`Compared ${current} ${t(model.referenceLine)}.`);
  } else if (model.hasBaseline) {
    const baseline = [
      model.baselineCommit && t(model.baselineCommit),
      model.baselineDate && `from ${t(model.baselineDate)}`,
    ];
    lines.push(
      `Compared ${current} with baseline ${baseline.filter(Boolean).join(' ')}`.trimEnd() + '.',
    );
  } else if (model.verdict === 'no-baseline') {
    lines.push(`No baseline for this key yet: showing ${current} only.`);
  } else if (model.verdict === 'updated') {
    lines.push(
      `Baseline${model.baselinePath ? ` ${t(model.baselinePath)}` : ''} written from ${current}.`,
    );
  } else {
    lines.push(`Report for ${current}, not compared with a baseline.`);
  }
  if (model.regressions.length > 0) {
    lines.push(`Regressed: ${model.regressions.map((line) => t(line)).join(' · ')}`);
  }
  if (model.improvements.length > 0) {
    lines.push(`Improved: ${model.improvements.map((line) => t(line)).join(' · ')}`);
  }
  return lines.join('\n');
}

/** Last, where the eye lands when the run ends: what to do about this outcome. */
function nextStepLine(input: ReportInput): string {
  const step = nextStep(input);
  return step ? t(nextStepText(step)) : '';
}

function metricsTable(model: ReportModel, paint: (text: string, color?: Color) => string): string {
  if (!model.compared) {
    return alignedTable(
      [['Metric', 'Current'], ...model.metrics.map((row) => [t(row.label), t(row.current)])],
      ['l', 'r'],
    );
  }
  // Gated rows first (the model orders them so), then a divider, then the context rows.
  const firstContext = model.metrics.findIndex((row) => !row.gated);
  const shown: Array<MetricRow | undefined> = [...model.metrics];
  if (firstContext > 0) shown.splice(firstContext, 0, undefined);
  const rows = [
    comparedColumns(model, ['Metric', model.baselineLabel, 'Current', 'Δ', 'Allowed', 'Status']),
    ...shown.map((row) =>
      comparedColumns(
        model,
        row
          ? [
              t(row.label),
              t(row.baseline),
              t(row.current),
              t(row.delta),
              t(row.threshold),
              rowStatus(row)?.text ?? '',
            ]
          : ['not gated:', '', '', '', '', ''],
      ),
    ),
  ];
  const align = comparedColumns<'l' | 'r'>(model, ['l', 'r', 'r', 'r', 'l', 'l']);
  // Colour after alignment: escape codes have no width.
  return alignedTable(rows, align, '', (rowIndex, text) => {
    const row = shown[rowIndex - 1];
    const status = row && rowStatus(row);
    return status ? paint(text, status.color) : text;
  });
}

function sweepSection(input: ReportInput): string {
  const table = sweepTable(input.current, input.baseline);
  if (!table) return '';
  const knee = table.knee
    ? `Knee: ${t(table.knee.level)}: ${t(table.knee.reason)}.`
    : `Knee: none: ${t(table.noKnee ?? 'no level was worth its load')}.`;
  const rows = table.rows.map((row, index) => [
    ...row.map((cell) => t(cell)),
    table.clientBound[index] ? 'client-bound' : '',
  ]);
  const align = ['l' as const, ...table.header.slice(1).map(() => 'r' as const), 'l' as const];
  // The last column is empty on most rows: no trailing blanks.
  const body = alignedTable([[...table.header, ''], ...rows], align, '  ')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
  return `Sweep:\n  ${knee}\n${body}`;
}

function list(title: string, items: string[], bullets: string[] = []): string {
  if (items.length === 0) return '';
  return [
    `${title}:`,
    ...items.map((item, i) => `  ${bullets[i] ?? '-'} ${escapeTerminal(item, LIST_ITEM_LENGTH)}`),
  ].join('\n');
}

function classTable(model: ReportModel): string {
  if (model.classes.length === 0) return '';
  const header = ['Class', 'Requests', 'Errors', 'TTFT p50', 'TTFT p95'];
  if (model.hasBaseline) header.push('TTFT p95 Δ');
  header.push('ITL p95', 'E2E p95', 'Output tokens');
  const rows = model.classes
    .slice(0, MAX_CLASS_ROWS)
    .map((row) => [
      t(row.name),
      t(row.requests),
      t(row.errors),
      t(row.ttftP50),
      t(row.ttftP95),
      ...(model.hasBaseline ? [t(row.ttftP95Delta)] : []),
      t(row.itlP95),
      t(row.e2eP95),
      t(row.outputTokens),
    ]);
  const more =
    model.classes.length > MAX_CLASS_ROWS
      ? `\n  … and ${formatCount(model.classes.length - MAX_CLASS_ROWS)} more classes in the results file`
      : '';
  const align = ['l' as const, ...header.slice(1).map(() => 'r' as const)];
  return `Per class:\n${alignedTable([header, ...rows], align, '  ')}${more}`;
}

/** Errors by class, then each class's first error: what the server said is the way to a fix. */
function errorsSection(model: ReportModel): string {
  if (model.errors.length === 0) return '';
  const table = alignedTable(
    model.errors.map((row) => [
      t(row.errorClass),
      t(row.count),
      t(row.share),
      t(row.promptClasses),
    ]),
    ['l', 'r', 'r', 'l'],
    '  ',
  );
  const firstErrors = model.errors.flatMap((row) =>
    row.firstError
      ? [`  first ${t(row.errorClass)}: ${escapeTerminal(row.firstError, FIRST_ERROR_LENGTH)}`]
      : [],
  );
  return [`Errors (${t(model.errorSummary)}):`, table, ...firstErrors].join('\n');
}

function facts(model: ReportModel): string {
  const shown = model.facts.filter((fact) => TERMINAL_FACTS.has(fact.label));
  return `Run:\n${alignedTable(
    shown.map((fact) => [`${fact.label}:`, t(fact.value)]),
    ['l', 'l'],
    '  ',
  )}`;
}

const width = (text: string) => Array.from(text).length;

/** Columns padded to their widest cell, two spaces apart; `decorate` may colour a padded cell. */
function alignedTable(
  rows: string[][],
  align: Array<'l' | 'r'>,
  indent = '',
  decorate?: (rowIndex: number, text: string) => string,
): string {
  const widths = align.map((_, column) => Math.max(...rows.map((row) => width(row[column] ?? ''))));
  return rows
    .map((row, rowIndex) =>
      row
        .map((cell, column) => {
          const last = column === row.length - 1;
          const pad = ' '.repeat((widths[column] ?? 0) - width(cell));
          const padded = align[column] === 'r' ? pad + cell : last ? cell : cell + pad;
          return decorate && last ? decorate(rowIndex, padded) : padded;
        })
        .join('  '),
    )
    .map((line) => indent + line)
    .join('\n');
}
