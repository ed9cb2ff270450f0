import type { MetricCheck } from './types.js';

/** Number formats for the gate's evidence lines (plain text; the report escapes as needed). */

/** A relative change: `+23.1%`, `−4.0%`. */
export function formatChange(fraction: number): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+∞%' : '−∞%';
  const percent = (fraction * 100).toFixed(1);
  return fraction >= 0 ? `+${percent}%` : `−${percent.slice(1)}%`;
}

/** A change of a rate in percentage points: `+1.2 pp`. */
export function formatPoints(fraction: number): string {
  const points = (fraction * 100).toFixed(1);
  return fraction >= 0 ? `+${points} pp` : `−${points.slice(1)} pp`;
}

export function formatP(p: number): string {
  if (p < 0.0001) return 'p<0.0001';
  return `p=${p < 0.01 ? p.toPrecision(2) : p.toFixed(2)}`;
}

export function formatValue(value: number, unit: MetricCheck['unit']): string {
  if (unit === 'fraction') return `${Number((value * 100).toFixed(2))}%`;
  const rounded = Number(value.toFixed(value >= 100 ? 0 : 1));
  return unit === 'count' ? `${rounded}` : `${rounded} ${unit}`;
}
