/**
 * The PR comment and job summary: GitHub-flavoured markdown, rendered from a ReportModel. Every
 * string that reaches the output goes through escapeMarkdown (numbers included: harmless), except
 * the fixed markup written here and SHAs that were checked to be hex.
 */
import { markdownTable } from 'markdown-table';
import { renderSweepSection } from './sweep.js';
import { renderTrendSection } from './trend.js';
import { renderDiagnosisMarkdown, renderServerViewMarkdown } from './server-view.js';
import type { CheckStatus, Verdict } from '../domain/judgement.js';
import { escapeMarkdown } from './escape.js';
import { formatCount } from '../format.js';
import { GLOSSARY } from './glossary.js';
import { chartColors, renderPercentileChart } from './mermaid.js';
import {
  comparedColumns,
  buildReportModel,
  type ClassRow,
  type Fact,
  type MetricRow,
  type ReportModel,
  type ReportNotice,
} from './model.js';
import { nextStep, nextStepMarkdown } from './next-steps.js';
import type { ReportInput } from './types.js';

export type { ReportInput } from './types.js';

/** GitHub's limit for an issue or PR comment body, in characters. */
export const MAX_COMMENT_LENGTH = 65_536;
/** Room left for the sticky-comment marker that is prepended to the report. */
const MARKER_RESERVE = 512;
const BUDGET = MAX_COMMENT_LENGTH - MARKER_RESERVE;
/** Room for what truncation appends: closing fences and tags, and the note. */
const TRUNCATION_RESERVE = 400;

/** Headline verdicts: the heading is bold already, so no emphasis here. */
const VERDICTS: Record<Verdict, string> = {
  pass: '✅ Pass',
  regression: '❌ Regression',
  inconclusive: '⚠️ Inconclusive',
  'no-baseline': '🆕 No baseline yet',
  updated: '📌 Baseline updated',
  unhealthy: '🛑 Unhealthy run: not judged',
  cancelled: '⏹️ Cancelled: not judged',
};

const REPORT_ONLY = '📊 Report';
/** Up to this many regressions are named in the headline; more get their own line. */
const HEADLINE_REGRESSIONS = 2;

const STATUSES: Record<CheckStatus, string> = {
  pass: '✅',
  regression: '❌ **regression**',
  noise: '🟡 noise',
  improvement: '🟢 improvement',
  insufficient: '⚠️ insufficient',
};
/** What an ungated row may show: a pass there was never judged, so it gets a dash, not ✅. */
const UNGATED_STATUSES = new Set<CheckStatus>(['noise', 'improvement', 'insufficient']);

const e = (text: string | undefined) => escapeMarkdown(text ?? '—');

/** Renders the report; the result always fits a GitHub comment together with its marker. */
export function renderReport(input: ReportInput): string {
  const model = buildReportModel(input);
  const sweep = renderSweepSection(input.current, input.baseline);
  const step = nextStep(input);
  const next = step ? nextStepMarkdown(step, e) : '';
  const diagnosis = renderDiagnosisMarkdown(input);
  const server = renderServerViewMarkdown(input);
  const trend = renderTrendSection(input);
  const render = (classLimit: number) => {
    const more = [
      contextSection(model),
      server,
      classSection(model, classLimit),
      ...tailSections(model),
    ];
    const sections = cleanPass(model)
      ? [
          headline(model),
          pinnedAlerts(model),
          diagnosis,
          metricsTable(model),
          alertsSection(model),
          details(
            'Details: other metrics, warnings, per class, run facts',
            joinSections([
              contextMovesLine(model),
              listSection('Notes', model.reasons),
              warningsSection(model),
              trend,
              sweep,
              ...more,
            ]),
          ),
        ]
      : [
          headline(model),
          pinnedAlerts(model),
          diagnosis,
          metricsTable(model),
          contextMovesLine(model),
          listSection('Why', model.reasons),
          alertsSection(model),
          warningsSection(model),
          next,
          chartSection(model),
          trend,
          sweep,
          ...more,
        ];
    return `${joinSections([...sections, footer(model)])}\n`;
  };

  const full = render(model.classes.length);
  if (full.length <= BUDGET) return full;

  // Too long: the per-class table goes first (largest, and complete in the results file).
  let low = 0;
  let high = model.classes.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(mid).length <= BUDGET) low = mid;
    else high = mid - 1;
  }
  const shorter = render(low);
  return shorter.length <= BUDGET ? shorter : truncate(shorter, BUDGET);
}

/** Alerts that change what the verdict means: shown right under the headline, not further down. */
const PINNED_CODES = new Set(['baseline-edited', 'shards-apart']);
const pinned = (notice: ReportNotice) => notice.code !== undefined && PINNED_CODES.has(notice.code);

function pinnedAlerts(model: ReportModel): string {
  const alerts = model.notices.filter(pinned);
  if (alerts.length === 0) return '';
  return ['> [!CAUTION]', ...alerts.map((alert) => `> - ${e(alert.text)}`)].join('\n');
}

function joinSections(sections: string[]): string {
  return sections.filter((section) => section.length > 0).join('\n\n');
}

/**
 * A pass with nothing to add collapses to the headline, the gated rows and one details block:
 * a reviewer who sees it needs nothing else.
 */
function cleanPass(model: ReportModel): boolean {
  return model.verdict === 'pass' && model.mode !== 'report' && !model.headlineNote;
}

function footer(model: ReportModel): string {
  return `<sub>llm-perf-gate ${e(model.toolVersion)}</sub>`;
}

/** Ungated rows that moved a lot, named in one line and not judged. */
function contextMovesLine(model: ReportModel): string {
  if (model.contextMoves.length === 0) return '';
  return `**Also moved (not gated, not judged):** ${model.contextMoves.map(e).join(' · ')}`;
}

function tailSections(model: ReportModel): string[] {
  return [
    errorsSection(model),
    model.evidence.length > 0
      ? details('Statistical evidence', factsTable(model.evidence, 'Metric', 'Evidence'))
      : '',
    details('Run facts', factsTable(model.facts, 'Fact', 'Value')),
    details(
      'How to read this',
      GLOSSARY.map((entry) => `- **${entry.term}**: ${entry.definition}`).join('\n'),
    ),
  ];
}

function keyText(model: ReportModel): string {
  const { key } = model;
  return `${e(key.model)} · ${e(key.hardware)} · ${e(key.mixName)} (${e(key.fingerprint)}, ${e(key.api)})`;
}

/** A hex short SHA in a code span; anything else escaped as text. */
function commit(sha: string | undefined): string | undefined {
  if (!sha) return undefined;
  return /^[0-9a-f]{7}$/.test(sha) ? `\`${sha}\`` : e(sha);
}

function comparedLine(model: ReportModel): string {
  const current = commit(model.currentCommit) ?? 'this run';
  const currentLabel = model.currentCommit ? `${current} (this run)` : current;
  const path = model.baselinePath ? ` ${e(model.baselinePath)}` : '';
  if (model.referenceLine) return `Compared ${currentLabel} ${e(model.referenceLine)}.`;
  if (model.hasBaseline) {
    const baseline = [
      'baseline',
      commit(model.baselineCommit),
      model.baselineDate && `from ${e(model.baselineDate)}`,
    ];
    return `Compared ${currentLabel} with ${baseline.filter(Boolean).join(' ')}.`;
  }
  switch (model.verdict) {
    case 'no-baseline':
      return `No baseline for this key yet${path ? ` at${path}` : ''}: showing ${currentLabel} only. Run with \`mode: update-baseline\` on the default branch to create one.`;
    case 'updated':
      return `Baseline${path} written from ${currentLabel}.`;
    default:
      return `Report for ${currentLabel}, not compared with a baseline.`;
  }
}

function headline(model: ReportModel): string {
  // Report mode has nothing to pass or fail: a bare "Pass" would read as a gate result.
  const verdict =
    model.mode === 'report' && model.verdict === 'pass' ? REPORT_ONLY : VERDICTS[model.verdict];
  const regressions = model.regressions.map(e);
  const named = regressions.length > 0 && regressions.length <= HEADLINE_REGRESSIONS;
  const title =
    regressions.length === 0
      ? withNote(model, verdict)
      : named
        ? `${verdict}: ${regressions.join(' · ')}`
        : `${verdict} in ${formatCount(regressions.length)} metrics`;
  const lines = [keyText(model), comparedLine(model)];
  if (regressions.length > 0 && !named) {
    lines.push(`**Regressed:** ${regressions.join(' · ')}`);
  }
  if (model.improvements.length > 0) {
    lines.push(`**Improved:** ${model.improvements.map(e).join(' · ')}`);
  }
  // Trailing double space: a hard line break between the lines under the heading.
  return [`### ${title}`, lines.join('  \n')].join('\n\n');
}

/** A verdict whose word alone would mislead carries its note: `⚠️ Pass, but could not see …`. */
function withNote(model: ReportModel, verdict: string): string {
  if (!model.headlineNote) return verdict;
  const note = e(model.headlineNote);
  return model.verdict === 'pass' && model.mode !== 'report'
    ? `⚠️ Pass, but ${note}`
    : `${verdict}: ${note}`;
}

function table(rows: string[][], align: Array<'l' | 'r' | 'c'>): string {
  // Unaligned delimiters: no padding, so a long cell cannot inflate every row.
  return markdownTable(rows, { align, alignDelimiters: false });
}

function metricsTable(model: ReportModel): string {
  if (!model.compared) {
    return table(
      [['Metric', 'Current'], ...model.metrics.map((row) => [e(row.label), e(row.current)])],
      ['l', 'r'],
    );
  }
  const gated = model.metrics.filter((row) => row.gated);
  return table(
    [
      comparedColumns(model, [
        'Gated metric',
        model.baselineLabel,
        'Current',
        'Δ',
        'Allowed',
        'Status',
      ]),
      ...(gated.length > 0 ? gated : model.metrics).map((row) => {
        // A regressed row stands out: its label, value and change in bold.
        const strong = (text: string) => (row.status === 'regression' ? `**${text}**` : text);
        return comparedColumns(model, [
          strong(e(row.label)),
          e(row.baseline),
          strong(e(row.current)),
          strong(e(row.delta)),
          e(row.threshold),
          statusCell(row),
        ]);
      }),
    ],
    comparedColumns(model, ['l', 'r', 'r', 'r', 'r', 'l']),
  );
}

/** The rows no threshold judged, for context, apart from the gated ones. */
function contextSection(model: ReportModel): string {
  if (!model.compared) return '';
  const rows = model.metrics.filter((row) => !row.gated);
  if (rows.length === 0 || rows.length === model.metrics.length) return '';
  // A status column only when some context row has something to say (⚠️ insufficient …).
  const statuses = rows.map(statusCell);
  const withStatus = statuses.some((status) => status !== '' && status !== '—');
  return details(
    `Other metrics (${formatCount(rows.length)}, not gated: shown for context)`,
    table(
      [
        comparedColumns(model, [
          'Metric',
          model.baselineLabel,
          'Current',
          'Δ',
          ...(withStatus ? ['Status'] : []),
        ]),
        ...rows.map((row, index) =>
          comparedColumns(model, [
            e(row.label),
            e(row.baseline),
            e(row.current),
            e(row.delta),
            ...(withStatus ? [statuses[index] ?? ''] : []),
          ]),
        ),
      ],
      comparedColumns<'l' | 'r'>(model, [
        'l',
        'r',
        'r',
        'r',
        ...(withStatus ? ['l' as const] : []),
      ]),
    ),
  );
}

function statusCell(row: MetricRow): string {
  if (!row.status) return '';
  if (row.failuresWithinLimit) return '⚠️ within limit';
  if (!row.gated && !UNGATED_STATUSES.has(row.status)) return '—';
  return STATUSES[row.status];
}

/** Our own sentences, which may quote endpoint text: escaped, but with room to finish. */
const LIST_ITEM_LENGTH = 800;

function listSection(title: string, items: string[]): string {
  if (items.length === 0) return '';
  return [
    `**${title}**`,
    ...items.map((item) => `- ${escapeMarkdown(item, LIST_ITEM_LENGTH)}`),
  ].join('\n');
}

/** Alerts (the numbers cannot be trusted as they are) in a GitHub alert block. */
function alertsSection(model: ReportModel): string {
  const alerts = model.notices.filter((notice) => notice.level === 'alert' && !pinned(notice));
  if (alerts.length === 0) return '';
  return ['> [!WARNING]', ...alerts.map((alert) => `> - ${e(alert.text)}`)].join('\n');
}

function warningsSection(model: ReportModel): string {
  return listSection(
    'Warnings',
    model.notices.filter((notice) => notice.level === 'warning').map((warning) => warning.text),
  );
}

function chartSection(model: ReportModel): string {
  if (!model.ttftChart) return '';
  const chart = renderPercentileChart(
    model.ttftChart,
    'TTFT percentiles',
    'TTFT (ms)',
    model.verdict,
  );
  const colors = chartColors(model.verdict);
  const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  const current = model.currentCommit ? ` (${commit(model.currentCommit)})` : '';
  const baseline = model.baselineCommit ? ` (${commit(model.baselineCommit)})` : '';
  const line = `${capital(colors.current.name)} line: this run${current}`;
  const caption = model.ttftChart.baseline
    ? `${line}; ${colors.baseline.name} bars: baseline${baseline}.`
    : `${line}.`;
  return `${chart}\n\n<sub>TTFT in ms at p50 … p99.9. ${caption}</sub>`;
}

function details(summary: string, body: string): string {
  // The blank lines let GitHub render markdown inside the HTML block.
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function classSection(model: ReportModel, limit: number): string {
  const total = model.classes.length;
  if (total === 0) return '';
  const shown = model.classes.slice(0, limit);
  const header = ['Class', 'Requests', 'Errors', 'TTFT p50', 'TTFT p95'];
  if (model.hasBaseline) header.push('TTFT p95 Δ');
  header.push('ITL p95', 'E2E p95', 'Output tokens');
  const cells = (row: ClassRow) => [
    e(row.name),
    e(row.requests),
    e(row.errors),
    e(row.ttftP50),
    e(row.ttftP95),
    ...(model.hasBaseline ? [e(row.ttftP95Delta)] : []),
    e(row.itlP95),
    e(row.e2eP95),
    e(row.outputTokens),
  ];
  const truncated = shown.length < total;
  const note = truncated
    ? `Per-class table truncated: showing ${formatCount(shown.length)} of ${formatCount(total)} classes to stay under GitHub's ${formatCount(MAX_COMMENT_LENGTH)}-character comment limit. Every class is in the results file.`
    : '';
  const body = [
    note,
    shown.length > 0
      ? table([header, ...shown.map(cells)], ['l', ...header.slice(1).map(() => 'r' as const)])
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const summary = truncated
    ? `Per class (${formatCount(shown.length)} of ${formatCount(total)} shown)`
    : `Per class (${formatCount(total)})`;
  return details(summary, body);
}

function errorsSection(model: ReportModel): string {
  if (model.errors.length === 0) return '';
  const rows = model.errors.map((row) => [
    e(row.errorClass),
    e(row.count),
    e(row.share),
    e(row.promptClasses),
    e(row.firstError),
  ]);
  return details(
    `Errors by class (${e(model.errorSummary)})`,
    table(
      [['Error', 'Count', 'Share of requests', 'Prompt classes', 'First error'], ...rows],
      ['l', 'r', 'r', 'l', 'l'],
    ),
  );
}

function factsTable(facts: Fact[], labelHeader: string, valueHeader: string): string {
  return table(
    [[labelHeader, valueHeader], ...facts.map((fact) => [e(fact.label), e(fact.value)])],
    ['l', 'l'],
  );
}

/**
 * Last resort: cut whole lines, close an open code fence and open `<details>`, and say so.
 * The report is split at line boundaries, so no escape or entity is ever cut in half.
 */
function truncate(text: string, budget: number): string {
  const kept: string[] = [];
  let length = 0;
  let inFence = false;
  let openDetails = 0;
  for (const line of text.split('\n')) {
    if (length + line.length + 1 > budget - TRUNCATION_RESERVE) break;
    kept.push(line);
    length += line.length + 1;
    if (line.startsWith('```')) inFence = !inFence;
    if (line === '<details>') openDetails += 1;
    if (line === '</details>') openDetails -= 1;
  }
  if (inFence) kept.push('```');
  for (let i = 0; i < openDetails; i++) kept.push('', '</details>');
  kept.push(
    '',
    `> [!NOTE]\n> Report truncated to stay under GitHub's ${formatCount(MAX_COMMENT_LENGTH)}-character comment limit. The full figures are in the results file.`,
  );
  return kept.join('\n') + '\n';
}
