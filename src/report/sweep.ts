import { sweepLevelName } from '../domain/sweep-level.js';
import { markdownTable } from 'markdown-table';
import type { RunResults, SweepLevel } from '../domain/results.js';
import { escapeMarkdown } from './escape.js';
import {
  formatErrorRate,
  formatMs,
  formatRequestsPerSecond,
  formatTokensPerSecond,
} from '../format.js';

function levelLabel(results: RunResults, level: number): string {
  return sweepLevelName(results.sweep?.dimension ?? 'concurrency', level);
}

function lineChart(
  title: string,
  axis: string,
  categories: string[],
  series: Array<number[] | undefined>,
): string {
  const values = series.flatMap((points) => points ?? []).filter(Number.isFinite);
  const top = Math.ceil(Math.max(...values, 1) * 1.1);
  const palette = series.length > 1 && series[0] ? '#8c959f, #0969da' : '#0969da';
  return [
    '```mermaid',
    `%%{init: {"xyChart": {"height": 280}, "themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis [${categories.map((category) => `"${category}"`).join(', ')}]`,
    `  y-axis "${axis}" 0 --> ${top}`,
    ...series
      .filter((points): points is number[] => points !== undefined)
      .map((points) => `  line [${points.map((value) => value.toFixed(1)).join(', ')}]`),
    '```',
  ].join('\n');
}

/**
 * The throughput–latency curve of a sweep: a table per level, the knee, and the curve as charts
 * (baseline grey, this run blue) so a shifted knee is visible at a glance.
 */
export function renderSweepSection(current: RunResults, baseline?: RunResults): string {
  const sweep = current.sweep;
  if (!sweep) return '';
  const categories = sweep.levels.map((level) => levelLabel(current, level.level));
  const curve = (pick: (level: SweepLevel) => number, results?: RunResults) =>
    results?.sweep
      ? sweep.levels.map((level) => {
          const match = results.sweep?.levels.find((candidate) => candidate.level === level.level);
          return match ? pick(match) : NaN;
        })
      : undefined;
  const ttft = (level: SweepLevel) => level.summary.distributions.ttft.p95Ms;
  const tokens = (level: SweepLevel) => level.summary.outputTokensPerSecond;
  return [
    `#### Sweep over ${sweep.dimension}`,
    renderSweepTable(current, baseline),
    lineChart('p95 TTFT by level', 'TTFT p95 (ms)', categories, [
      curve(ttft, baseline),
      curve(ttft, current),
    ]),
    lineChart('Output tokens/s by level', 'tokens/s', categories, [
      curve(tokens, baseline),
      curve(tokens, current),
    ]),
    baseline
      ? '<sub>Grey: baseline; blue: this run.</sub>'
      : '<sub>This run; no baseline curve yet.</sub>',
  ].join('\n\n');
}

/** A sweep as plain cells: the markdown and terminal renderers each draw and escape it. */
export interface SweepTable {
  /** The knee's level and why; absent when there is none (then `noKnee` says why). */
  knee?: { level: string; reason: string };
  noKnee?: string;
  header: string[];
  rows: string[][];
  /** Per row: the load generator was the bottleneck at that level. */
  clientBound: boolean[];
}

export function sweepTable(current: RunResults, baseline?: RunResults): SweepTable | undefined {
  const sweep = current.sweep;
  if (!sweep) return undefined;
  const baselineLevel = (level: number): SweepLevel | undefined =>
    baseline?.sweep?.levels.find((candidate) => candidate.level === level);
  const rows = sweep.levels.map((level) => {
    const d = level.summary.distributions;
    const before = baselineLevel(level.level);
    return [
      levelLabel(current, level.level) + (sweep.knee?.level === level.level ? ' ◀ knee' : ''),
      formatRequestsPerSecond(level.summary.requestsPerSecond),
      formatTokensPerSecond(level.summary.outputTokensPerSecond),
      ...(baseline ? [formatTokensPerSecond(before?.summary.outputTokensPerSecond)] : []),
      formatMs(d.ttft.p50Ms),
      formatMs(d.ttft.p95Ms),
      ...(baseline ? [formatMs(before?.summary.distributions.ttft.p95Ms)] : []),
      formatMs(d.ttft.p99Ms),
      formatMs(d.itl.p95Ms),
      formatMs(d.e2e.p95Ms),
      formatErrorRate(level.summary.errorRate),
    ];
  });
  const header = [
    'Level',
    'Req/s',
    'Tok/s',
    ...(baseline ? ['Tok/s (baseline)'] : []),
    'TTFT p50',
    'TTFT p95',
    ...(baseline ? ['TTFT p95 (baseline)'] : []),
    'TTFT p99',
    'ITL p95',
    'E2E p95',
    'Errors',
  ];
  return {
    ...(sweep.knee
      ? { knee: { level: levelLabel(current, sweep.knee.level), reason: sweep.knee.reason } }
      : {}),
    ...(sweep.noKnee ? { noKnee: sweep.noKnee } : {}),
    header,
    rows,
    clientBound: sweep.levels.map((level) => level.selfCheck.saturated),
  };
}

/** The knee line and a markdown table per level. */
function renderSweepTable(current: RunResults, baseline?: RunResults): string {
  const table = sweepTable(current, baseline);
  if (!table) return '';
  const knee = table.knee
    ? `**Knee:** ${table.knee.level}: ${escapeMarkdown(table.knee.reason)}.`
    : `**Knee:** none: ${escapeMarkdown(table.noKnee ?? 'no level was worth its load')}.`;
  const rows = table.rows.map((row, index) => [
    ...row,
    table.clientBound[index] ? '⚠️ client-bound' : '',
  ]);
  return [knee, markdownTable([[...table.header, ''], ...rows], { alignDelimiters: false })].join(
    '\n\n',
  );
}
