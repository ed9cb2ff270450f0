import { describe, expect, it } from 'vitest';
import { historyRunOf } from '../../src/baseline/history.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import { defaultThresholds } from '../../src/gate/thresholds.js';
import { renderReport } from '../../src/report/markdown.js';
import { renderTrendSection } from '../../src/report/trend.js';
import type { ReportInput } from '../../src/report/types.js';
import type { RunResults } from '../../src/domain/results.js';
import { buildResults } from '../helpers/results-fixture.js';

/** A baseline whose history holds runs with TTFT p95 at these factors of its own. */
function baselineWithHistory(factors: number[]): RunResults {
  const baseline = buildResults({ seed: 1 });
  const latest = historyRunOf(baseline);
  const history = factors.map((factor, index) => ({
    ...latest,
    date: `2026-11-${String(20 + index).padStart(2, '0')}T09:00:00.000Z`,
    figures: { ...latest.figures, ttftP95Ms: latest.figures.ttftP95Ms * factor },
  }));
  return { ...baseline, history };
}

function gateInput(baseline: RunResults, current: RunResults): ReportInput {
  const gate = evaluateGate({ baseline, current, thresholds: defaultThresholds() });
  return { mode: 'gate', verdict: gate.verdict, current, baseline, gate };
}

describe('trend of the gated figures over the baseline history', () => {
  it('draws one line per gated figure over the runs, this run last', () => {
    const baseline = baselineWithHistory([0.9, 1.1, 1]);
    const current = buildResults({ seed: 2, ttftMedianMs: 220 });
    const section = renderTrendSection(gateInput(baseline, current));
    expect(section).toContain('Trend over the last 3 accepted runs');
    expect(section).toMatch(/x-axis \["11-20", "11-21", "11-22", "this run"\]/);
    const lines = section.split('\n').filter((line) => line.startsWith('  line ['));
    // TTFT p95 and output tokens/s; the error rate is listed in words (a % of 0 means nothing).
    expect(lines).toHaveLength(2);
    const ttft = lines[0]!.match(/[\d.]+/g)!.map(Number);
    expect(ttft.slice(0, 3)).toEqual([90, 110, 100]);
    expect(ttft[3]).toBeGreaterThan(103);
    expect(section).toContain('blue: TTFT p95, orange: Output tokens/s');
    expect(section).toMatch(/Error rate: 0\.00%, 0\.00%, 0\.00%; this run 0\.00%/);
    expect(renderReport(gateInput(baseline, current))).toContain(section);
  });

  it('says nothing without a history of at least two runs', () => {
    const current = buildResults({ seed: 2 });
    expect(renderTrendSection(gateInput(buildResults({ seed: 1 }), current))).toBe('');
    expect(renderTrendSection(gateInput(baselineWithHistory([1]), current))).toBe('');
    expect(renderReport(gateInput(baselineWithHistory([1]), current))).not.toContain('Trend');
  });

  it('numbers two runs of one day apart', () => {
    const baseline = baselineWithHistory([1, 1]);
    const history = baseline.history!.map((run) => ({ ...run, date: '2026-11-20T09:00:00Z' }));
    const section = renderTrendSection(
      gateInput({ ...baseline, history }, buildResults({ seed: 2 })),
    );
    expect(section).toMatch(/x-axis \["11-20", "11-20 \(2\)", "this run"\]/);
  });
});
