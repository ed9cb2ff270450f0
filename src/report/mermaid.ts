import type { Verdict } from '../domain/judgement.js';
import { escapeMermaidLabel } from './escape.js';
import { CHART_PERCENTILES, type PercentileSeries } from './model.js';

/** GitHub's Primer colours: muted grey for the baseline, red or blue for this run. */
const BASELINE_COLOR = { name: 'grey', hex: '#d0d7de' } as const;
const REGRESSION_COLOR = { name: 'red', hex: '#cf222e' } as const;
const CURRENT_COLOR = { name: 'blue', hex: '#0969da' } as const;
/** Lower than xychart's default 500 px, so the chart does not dominate the comment. */
const CHART_HEIGHT = 240;

/** The colours of the chart, named for its caption (xychart has no legend). */
export function chartColors(verdict: Verdict): {
  baseline: { name: string; hex: string };
  current: { name: string; hex: string };
} {
  return {
    baseline: BASELINE_COLOR,
    current: verdict === 'regression' ? REGRESSION_COLOR : CURRENT_COLOR,
  };
}

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
 * no legend, so the baseline is drawn as grey bars and the current run as a line, always (red on a
 * regression, blue otherwise: see chartColors); the caller says so in a caption. The palette is
 * assigned in plot order, so it lists the bar colour only when there are bars.
 */
export function renderPercentileChart(
  data: PercentileSeries,
  title: string,
  axis: string,
  verdict: Verdict,
): string {
  const colors = chartColors(verdict);
  const palette = [...(data.baseline ? [colors.baseline.hex] : []), colors.current.hex].join(', ');
  const init = `{"xyChart": {"height": ${CHART_HEIGHT}}, "themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}`;
  const all = [...data.current, ...(data.baseline ?? [])].filter(Number.isFinite);
  const top = niceCeiling(Math.max(...all, 0) * 1.1);
  const categories = CHART_PERCENTILES.map((label) => `"${label}"`).join(', ');
  const lines = [
    '```mermaid',
    `%%{init: ${init}}%%`,
    'xychart-beta',
    `  title "${escapeMermaidLabel(title)}"`,
    `  x-axis [${categories}]`,
    `  y-axis "${escapeMermaidLabel(axis)}" 0 --> ${top}`,
  ];
  if (data.baseline) lines.push(`  bar [${series(data.baseline)}]`);
  lines.push(`  line [${series(data.current)}]`, '```');
  return lines.join('\n');
}
