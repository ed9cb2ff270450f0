import { describe, expect, it } from 'vitest';
import { judgeSelfCheck, SELF_CHECK_LIMITS } from '../../src/load/self-check.js';

const clear = {
  eventLoopUtilization: 0.4,
  timerLagP95Ms: 1.2,
  timerLagP99Ms: 3,
  timerLagMaxMs: 9,
};

describe('the self-check judges the client’s own event loop', () => {
  it('trusts a run whose client stayed within every limit', () => {
    expect(judgeSelfCheck(clear)).toMatchObject({ saturated: false, reasons: [] });
  });

  it('flags a timer lag p95 over the TTFT budget, saying how much TTFT it may have added', () => {
    const check = judgeSelfCheck({ ...clear, timerLagP95Ms: 7.26 });
    // A caution: a few ms of the client's own beside real TTFTs leave the comparison fair.
    expect(check).toMatchObject({ saturated: false, reasons: [] });
    expect(check.cautions).toEqual([
      `the client may have added 7.3 ms to TTFT (timer lag p95 > the ${SELF_CHECK_LIMITS.addedTtftP95Ms} ms budget)`,
    ]);
    expect(check.timerLagP95Ms).toBe(7.26);
  });

  it('keeps a lag at the budget itself', () => {
    const atBudget = { ...clear, timerLagP95Ms: SELF_CHECK_LIMITS.addedTtftP95Ms };
    expect(judgeSelfCheck(atBudget).cautions).toBeUndefined();
  });

  it('gives every limit passed its own reason, open loop included', () => {
    const check = judgeSelfCheck(
      { eventLoopUtilization: 0.95, timerLagP95Ms: 30, timerLagP99Ms: 80, timerLagMaxMs: 120 },
      { requestedRate: 10, achievedRate: 8, dispatchLagP95Ms: 40 },
    );
    expect(check.reasons).toHaveLength(3);
    expect(check.cautions).toHaveLength(1);
    expect(check).toMatchObject({ requestedRate: 10, achievedRate: 8, dispatchLagP95Ms: 40 });
  });
});
