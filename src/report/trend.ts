/**
 * The trend of the gated figures over the baseline's history of accepted runs, with this run as
 * the last point: a drift that builds up over weeks is visible before it becomes a regression.
 */
import { historyRunOf } from '../baseline/history.js';
import { ERROR_RATE, trialValue } from '../metrics/catalogue.js';
import type { MetricCheck } from '../domain/judgement.js';
import type { HistoryRun } from '../domain/results.js';
import { escapeMarkdown, escapeMermaidLabel } from './escape.js';
import { formatErrorRate } from '../format.js';
import type { ReportInput } from './types.js';

/** Primer colours, one per line in plot order (xychart has no legend: the caption names them). */
const LINE_COLORS = [
  { name: 'blue', hex: '#0969da' },
  { name: 'orange', hex: '#bc4c00' },
  { name: 'purple', hex: '#8250df' },
  { name: 'green', hex: '#1a7f37' },
  { name: 'grey', hex: '#6e7781' },
] as const;
const CHART_HEIGHT = 240;
const THIS_RUN = 'this run';

interface TrendLine {
  label: string;
  /** Per run, as % of the latest baseline run (100 = the baseline). */
  indexed: number[];
}

/** A section for the report; empty when there is no history to draw (fewer than two runs). */
export function renderTrendSection(input: ReportInput): string {
  const history = input.baseline?.history ?? [];
  if (history.length < 2 || !input.gate) return '';
  const runs = [...history, historyRunOf(input.current)];
  const gated = input.gate.checks.filter((check) => check.threshold);
  const lines = gated.flatMap((check) => trendLine(check, runs)).slice(0, LINE_COLORS.length);
  const errorRates = gated.some((check) => check.metric === ERROR_RATE)
    ? runs.map((run) => formatErrorRate(run.figures.errorRate))
    : [];
  if (lines.length === 0 && errorRates.length === 0) return '';

  const labels = categoryLabels(history);
  const parts = [`**Trend over the last ${history.length} accepted runs**`];
  if (lines.length > 0) parts.push(chart(lines, labels));
  const caption = lines.map((line, index) => `${LINE_COLORS[index]!.name}: ${line.label}`);
  const notes = [
    lines.length > 0
      ? `% of the baseline run (100 = baseline), last point: ${THIS_RUN}. ${caption.join(', ')}.`
      : '',
    errorRates.length > 0
      ? `Error rate: ${errorRates.slice(0, -1).join(', ')}; ${THIS_RUN} ${errorRates.at(-1)}.`
      : '',
  ].filter(Boolean);
  parts.push(`<sub>${escapeMarkdown(notes.join(' '), 600)}</sub>`);
  return parts.join('\n\n');
}

function trendLine(check: MetricCheck, runs: HistoryRun[]): TrendLine[] {
  const values = runs.map((run) => trialValue(run.figures, check.metric));
  const reference = values.at(-2);
  if (values.some((value) => value === undefined) || !reference) return [];
  return [{ label: check.label, indexed: values.map((value) => ((value ?? 0) / reference) * 100) }];
}

/** `11-20` per run, unique (a second run on a day gets `(2)`), then `this run`. */
function categoryLabels(history: HistoryRun[]): string[] {
  const seen = new Map<string, number>();
  const labels = history.map((run) => {
    const day = run.date.slice(5, 10) || '?';
    const count = (seen.get(day) ?? 0) + 1;
    seen.set(day, count);
    return count > 1 ? `${day} (${count})` : day;
  });
  return [...labels, THIS_RUN];
}

function chart(lines: TrendLine[], labels: string[]): string {
  const all = lines.flatMap((line) => line.indexed).filter(Number.isFinite);
  const low = Math.floor(Math.min(...all, 100) / 5) * 5 - 5;
  const high = Math.ceil(Math.max(...all, 100) / 5) * 5 + 5;
  const palette = lines.map((_line, index) => LINE_COLORS[index]!.hex).join(', ');
  const init = `{"xyChart": {"height": ${CHART_HEIGHT}}, "themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}`;
  const categories = labels.map((label) => `"${escapeMermaidLabel(label)}"`).join(', ');
  return [
    '```mermaid',
    `%%{init: ${init}}%%`,
    'xychart-beta',
    `  x-axis [${categories}]`,
    `  y-axis "% of baseline" ${Math.max(0, low)} --> ${high}`,
    ...lines.map(
      (line) =>
        `  line [${line.indexed.map((value) => (Number.isFinite(value) ? value.toFixed(1) : '0')).join(', ')}]`,
    ),
    '```',
  ].join('\n');
}
