import { escapeMermaidLabel } from './escape.js';
import { CHART_PERCENTILES, type PercentileSeries } from './model.js';

/** Rounds up to a readable number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) for the y axis. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((factor) => factor * power >= value) ?? 10;
  return Number((step * power).toPrecision(3));
}

function series(values: number[]): string {
  return values
    .map((value) => (Number.isFinite(value) ? Number(value.toPrecision(4)) : 0))
    .join(', ');
}

/**
 * A latency-percentile chart as a mermaid `xychart-beta` block (GitHub renders it). xychart has
 * no legend, so the baseline is drawn as bars and the current run as a line, always; the caller
 * says so in a caption.
 */
export function renderPercentileChart(data: PercentileSeries, title: string, axis: string): string {
  const all = [...data.current, ...(data.baseline ?? [])].filter(Number.isFinite);
  const top = niceCeiling(Math.max(...all, 0) * 1.1);
  const categories = CHART_PERCENTILES.map((label) => `"${label}"`).join(', ');
  const lines = [
    '```mermaid',
    'xychart-beta',
    `  title "${escapeMermaidLabel(title)}"`,
    `  x-axis [${categories}]`,
    `  y-axis "${escapeMermaidLabel(axis)}" 0 --> ${top}`,
  ];
  if (data.baseline) lines.push(`  bar [${series(data.baseline)}]`);
  lines.push(`  line [${series(data.current)}]`, '```');
  return lines.join('\n');
}
