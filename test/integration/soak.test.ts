import { describe, expect, it } from 'vitest';
import { flatness } from '../../bench/lib/memory.js';
import { runSoak } from '../../bench/lib/soak-run.js';

/**
 * The one-minute version of `npm run bench:soak`: thousands of streamed requests through the
 * real sampler, StreamClient, runPhase and RunRecorder against a simulator process, with the heap
 * sampled after a full GC. Memory must not grow with the number of requests.
 */
describe('a long run keeps memory flat', () => {
  it('holds the heap steady over thousands of requests', { timeout: 120_000 }, async () => {
    const outcome = await runSoak({ durationMs: 50_000, concurrency: 32, sampleEveryMs: 5_000 });
    const verdict = flatness(outcome.samples);
    expect(outcome.requests).toBeGreaterThan(2_000);
    expect(outcome.failed).toBe(0);
    expect(outcome.samples.length).toBeGreaterThanOrEqual(9);
    // Measured: ~0.3 MB between thirds and ~0.2 MB/min at the end (JIT and pools settling).
    // Keeping every request's record would add ~2.8 MB and ~4.4 MB/min here.
    expect(verdict.heapGrowthMb).toBeLessThan(1.5);
    expect(verdict.lastHalfSlopeMbPerMinute).toBeLessThan(2);
  });
});
