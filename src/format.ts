/**
 * The one number formatter: the gate's evidence lines, the diagnosis and every report word
 * figures alike (a percentage-point change has two decimals everywhere). Fixed locale (en-US)
 * so output is the same on every runner; `—` for a missing or non-finite value; a real minus
 * sign (U+2212) in signed figures.
 */
import type { MetricCheck, Threshold } from './domain/judgement.js';

export const MISSING = '—';
const MINUS = '\u2212';

function finite(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Fixed decimals with thousands separators: 1234.5 → `1,234.5`. */
function fixed(value: number, decimals: number): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** About three significant figures for magnitudes under 1000, none after that. */
function significant(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100 || magnitude === 0) return fixed(value, 0);
  if (magnitude >= 10) return fixed(value, 1);
  return fixed(value, 2);
}

/** Prefixes `+` or `−`; a value that rounds to zero gets no sign. */
function signed(text: string, value: number): string {
  if (!/[1-9]/.test(text)) return text;
  return value < 0 ? `${MINUS}${text}` : `+${text}`;
}

export function formatCount(value: number | undefined): string {
  return finite(value) ? fixed(value, 0) : MISSING;
}

/** `1 request`, `1,200 requests`. */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** `0.42 ms`, `42.3 ms`, `812 ms`, `1.24 s`, `12.4 s`, `124 s`. */
export function formatMs(value: number | undefined): string {
  if (!finite(value)) return MISSING;
  if (Math.abs(value) < 1000) return `${significant(value)} ms`;
  return `${significant(value / 1000)} s`;
}

/** A signed duration: `+12.0 ms`, `−1.20 s`. */
export function formatSignedMs(value: number | undefined): string {
  if (!finite(value)) return MISSING;
  return signed(formatMs(Math.abs(value)), value);
}

/** A wall-clock span for run facts: `850 ms`, `42.0 s`, `2m 05s`, `1h 02m`. */
export function formatDuration(value: number | undefined): string {
  if (!finite(value)) return MISSING;
  if (value < 60_000) return formatMs(value);
  const totalSeconds = Math.round(value / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}h ${pad(minutes)}m` : `${minutes}m ${pad(seconds)}s`;
}

export function formatTokensPerSecond(value: number | undefined): string {
  return finite(value) ? `${significant(value)} tok/s` : MISSING;
}

export function formatRequestsPerSecond(value: number | undefined): string {
  return finite(value) ? `${significant(value)} req/s` : MISSING;
}

/** A fraction as a percentage: 0.123 → `12.3%`. */
export function formatPercent(fraction: number | undefined, decimals = 1): string {
  return finite(fraction) ? `${fixed(fraction * 100, decimals)}%` : MISSING;
}

/** Error rates need two decimals: one failure in 200 is `0.50%`. */
export function formatErrorRate(fraction: number | undefined): string {
  return formatPercent(fraction, 2);
}

/** A relative change: 0.123 → `+12.3%`, −0.04 → `−4.0%`. */
export function formatSignedPercent(fraction: number | undefined): string {
  if (!finite(fraction)) return MISSING;
  return signed(formatPercent(Math.abs(fraction)), fraction);
}

/** A change of a rate in percentage points: 0.0025 → `+0.25 pp`. */
export function formatPpDelta(fractionDelta: number | undefined): string {
  if (!finite(fractionDelta)) return MISSING;
  return signed(`${fixed(Math.abs(fractionDelta) * 100, 2)} pp`, fractionDelta);
}

/** A value in a gate metric's unit. */
export function formatValue(value: number | undefined, unit: MetricCheck['unit']): string {
  switch (unit) {
    case 'ms':
      return formatMs(value);
    case 'tok/s':
      return formatTokensPerSecond(value);
    case 'req/s':
      return formatRequestsPerSecond(value);
    case 'fraction':
      return formatErrorRate(value);
    case 'count':
      return finite(value)
        ? Number(value.toFixed(value >= 100 ? 0 : 1)).toLocaleString('en-US')
        : MISSING;
  }
}

/** A change in a gate metric's unit (pp for rates). */
function formatSignedValue(value: number, unit: MetricCheck['unit']): string {
  if (unit === 'fraction') return formatPpDelta(value);
  if (unit === 'ms') return formatSignedMs(value);
  return signed(formatValue(Math.abs(value), unit), value);
}

/** The Δ column: relative change, or percentage points for rates. */
export function formatCheckDelta(check: MetricCheck): string {
  if (check.unit === 'fraction') return formatPpDelta(check.delta);
  if (finite(check.relativeDelta)) return formatSignedPercent(check.relativeDelta);
  return finite(check.delta) ? formatSignedValue(check.delta, check.unit) : MISSING;
}

/** A threshold's percentage without trailing zeros: `+10%`, `−12.5%`. */
function formatSignedCompactPercent(fraction: number): string {
  const text = `${(Math.abs(fraction) * 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;
  return signed(text, fraction);
}

/** The allowed change or limit, from the threshold's structured form: `≤ +10%`, `< 800 ms`. */
export function formatThreshold(
  threshold: Threshold | undefined,
  unit: MetricCheck['unit'],
): string {
  if (!threshold) return MISSING;
  const worseUp = threshold.direction === 'higher-is-worse';
  switch (threshold.kind) {
    case 'relative':
      return worseUp
        ? `≤ ${formatSignedCompactPercent(threshold.value)}`
        : `≥ ${formatSignedCompactPercent(-threshold.value)}`;
    case 'absolute-change':
      return worseUp
        ? `≤ ${formatSignedValue(threshold.value, unit)}`
        : `≥ ${formatSignedValue(-threshold.value, unit)}`;
    case 'limit':
      return `${worseUp ? (threshold.inclusive ? '≤' : '<') : threshold.inclusive ? '≥' : '>'} ${formatValue(threshold.value, unit)}`;
  }
}

/** What a comparison could detect, in the threshold's terms and bad direction: `≥ +43%`. */
export function formatDetectable(
  change: number,
  threshold: Threshold,
  unit: MetricCheck['unit'],
): string {
  const sign = threshold.direction === 'higher-is-worse' ? 1 : -1;
  return threshold.kind === 'relative'
    ? `${sign > 0 ? '≥' : '≤'} ${formatSignedCompactPercent(Math.round(sign * change * 100) / 100)}`
    : `${sign > 0 ? '≥' : '≤'} ${formatSignedValue(sign * change, unit)}`;
}

/** A one-sided p-value: `p=0.03`, `p=0.0042`, `p<0.0001`. */
export function formatP(p: number): string {
  if (p < 0.0001) return 'p<0.0001';
  return `p=${p < 0.01 ? p.toPrecision(2) : p.toFixed(2)}`;
}

const HEX_SHA = /^[0-9a-f]{7,64}$/i;

/** A commit's short form, or undefined when it is not a hex SHA (callers escape other text). */
export function shortSha(sha: string | undefined): string | undefined {
  return sha && HEX_SHA.test(sha) ? sha.slice(0, 7).toLowerCase() : undefined;
}

/** `2026-11-02 14:03 UTC` from an ISO date; undefined when it does not parse. */
export function formatDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return undefined;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
