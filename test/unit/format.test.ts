import { describe, expect, it } from 'vitest';
import type { MetricCheck, Threshold } from '../../src/domain/judgement.js';
import {
  formatCheckDelta,
  formatDate,
  formatDuration,
  formatErrorRate,
  formatMs,
  formatPpDelta,
  formatRequestsPerSecond,
  formatSignedMs,
  formatSignedPercent,
  formatThreshold,
  formatTokensPerSecond,
  shortSha,
} from '../../src/format.js';

describe('number formatting', () => {
  it('formats milliseconds and seconds with about three significant figures', () => {
    expect(formatMs(0.42)).toBe('0.42 ms');
    expect(formatMs(42.34)).toBe('42.3 ms');
    expect(formatMs(812.4)).toBe('812 ms');
    expect(formatMs(1240)).toBe('1.24 s');
    expect(formatMs(12_400)).toBe('12.4 s');
    expect(formatMs(124_000)).toBe('124 s');
    expect(formatMs(undefined)).toBe('—');
    expect(formatMs(Number.NaN)).toBe('—');
  });

  it('formats rates', () => {
    expect(formatTokensPerSecond(1234.5)).toBe('1,235 tok/s');
    expect(formatTokensPerSecond(45.61)).toBe('45.6 tok/s');
    expect(formatRequestsPerSecond(3.214)).toBe('3.21 req/s');
    expect(formatErrorRate(0.005)).toBe('0.50%');
    expect(formatErrorRate(0)).toBe('0.00%');
  });

  it('signs deltas with a real minus and no sign on zero', () => {
    expect(formatSignedPercent(0.1234)).toBe('+12.3%');
    expect(formatSignedPercent(-0.04)).toBe('−4.0%');
    expect(formatSignedPercent(-0.00001)).toBe('0.0%');
    expect(formatPpDelta(0.0025)).toBe('+0.25 pp');
    expect(formatPpDelta(-0.01)).toBe('−1.00 pp');
    expect(formatSignedMs(-1200)).toBe('−1.20 s');
    expect(formatSignedMs(12)).toBe('+12.0 ms');
  });

  it('formats durations for run facts', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_000)).toBe('42.0 s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
  });

  it('shortens hex SHAs only, and dates to minutes in UTC', () => {
    expect(shortSha('ABC1234def5678')).toBe('abc1234');
    expect(shortSha('not-a-sha')).toBeUndefined();
    expect(formatDate('2026-11-02T14:03:59.000Z')).toBe('2026-11-02 14:03 UTC');
    expect(formatDate('yesterday')).toBeUndefined();
  });
});

describe('thresholds and deltas of gate checks', () => {
  const threshold = (partial: Partial<Threshold>): Threshold => ({
    metric: 'x',
    kind: 'relative',
    value: 0.1,
    direction: 'higher-is-worse',
    source: '',
    ...partial,
  });

  it('renders each threshold kind in the metric unit', () => {
    expect(formatThreshold(threshold({}), 'ms')).toBe('≤ +10%');
    expect(formatThreshold(threshold({ direction: 'lower-is-worse' }), 'tok/s')).toBe('≥ −10%');
    expect(formatThreshold(threshold({ kind: 'absolute-change', value: 0.01 }), 'fraction')).toBe(
      '≤ +1.00 pp',
    );
    expect(formatThreshold(threshold({ kind: 'absolute-change', value: 50 }), 'ms')).toBe(
      '≤ +50.0 ms',
    );
    expect(formatThreshold(threshold({ kind: 'limit', value: 800 }), 'ms')).toBe('< 800 ms');
    expect(
      formatThreshold(
        threshold({ kind: 'limit', value: 100, direction: 'lower-is-worse' }),
        'tok/s',
      ),
    ).toBe('> 100 tok/s');
    expect(formatThreshold(undefined, 'ms')).toBe('—');
  });

  it('shows relative deltas, and percentage points for rates', () => {
    const check = (partial: Partial<MetricCheck>): MetricCheck => ({
      metric: 'x',
      label: 'X',
      unit: 'ms',
      current: 1,
      status: 'pass',
      ...partial,
    });
    expect(formatCheckDelta(check({ delta: 23, relativeDelta: 0.123 }))).toBe('+12.3%');
    expect(formatCheckDelta(check({ unit: 'fraction', delta: 0.005, relativeDelta: 1 }))).toBe(
      '+0.50 pp',
    );
    expect(formatCheckDelta(check({ delta: 5 }))).toBe('+5.00 ms');
    expect(formatCheckDelta(check({}))).toBe('—');
  });
});
