import { describe, expect, it } from 'vitest';
import { findKnee } from '../../src/load/knee.js';
import type { SweepLevel } from '../../src/domain/results.js';

/** A level with just the figures the knee reads. */
function level(concurrency: number, tokensPerSecond: number, ttftP95Ms: number, errorRate = 0) {
  return {
    level: concurrency,
    summary: {
      outputTokensPerSecond: tokensPerSecond,
      errorRate,
      distributions: {
        ttft: { p95Ms: ttftP95Ms },
        tpot: { p95Ms: 10 },
        e2e: { p95Ms: 1000 },
      },
    },
  } as unknown as SweepLevel;
}

const name = (value: number) => `c=${value}`;

describe('the knee', () => {
  it('is where more load stops buying throughput (a batching server)', () => {
    const knee = findKnee([level(2, 400, 40), level(8, 1100, 55), level(32, 1250, 160)], {}, name);
    expect(knee.knee?.level).toBe(8);
    expect(knee.knee?.reason).toMatch(
      /tokens\/s ×2\.75 of c=2.*beyond it, c=32: p95 TTFT ×2\.91 for tokens\/s ×1\.14/,
    );
  });

  it('is the first level on a server that does not batch', () => {
    const knee = findKnee(
      [level(1, 100, 50), level(2, 101, 100), level(4, 100, 200), level(8, 99, 400)],
      {},
      name,
    );
    expect(knee.knee?.level).toBe(1);
  });

  it('never lands where throughput fell, and says when it lies beyond the sweep', () => {
    // Measured on a 2-core llama.cpp server: the old rule named c=2, where tokens/s fell.
    const knee = findKnee(
      [level(1, 157, 90), level(2, 146, 120), level(4, 172, 150), level(8, 273, 180)],
      {},
      name,
    );
    expect(knee.knee).toBeUndefined();
    expect(knee.noKnee).toMatch(
      /^throughput still grew at the top level \(c=8: tokens\/s ×1\.74 of c=1/,
    );
  });

  it('counts errors without SLOs, and says when no level qualifies', () => {
    const errors = findKnee([level(1, 100, 50, 0.2), level(2, 150, 60, 0.3)], {}, name);
    expect(errors.knee).toBeUndefined();
    expect(errors.noKnee).toBe('no level was worth its load (c=1: errors 20.0% > 1.0%)');
    const withSlo = findKnee(
      [level(2, 400, 40), level(8, 1100, 55), level(32, 1250, 160)],
      { ttftMs: 100 },
      name,
    );
    expect(withSlo.knee?.level).toBe(8);
    expect(withSlo.knee?.reason).toMatch(/c=32: misses the SLOs/);
  });
});
