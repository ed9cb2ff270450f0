import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/random.js';
import { BatchEngine, type EngineTimings } from '../../src/simulator/engine.js';

const timings: EngineTimings = {
  prefillBaseMs: 2,
  prefillMsPerToken: 0,
  decodeStepMs: 1,
  decodeStepMsPerSequence: 0,
  maxBatch: 2,
  jitter: 0,
  ttftScale: 1,
  itlScale: 1,
};

/** Submits a sequence and resolves with when each of its events happened. */
function run(engine: BatchEngine, outputTokens: number) {
  const events: { prefilledAt?: number; tokenAt: number[] } = { tokenAt: [] };
  let handle!: ReturnType<BatchEngine['submit']>;
  const done = new Promise<typeof events>((resolve) => {
    handle = engine.submit(10, outputTokens, {
      onPrefilled: () => {
        events.prefilledAt = performance.now();
      },
      onToken: (index, isLast) => {
        expect(index).toBe(events.tokenAt.length);
        events.tokenAt.push(performance.now());
        if (isLast) resolve(events);
      },
    });
  });
  return { done, handle };
}

describe('BatchEngine', () => {
  it('admits up to maxBatch and queues the rest in order', async () => {
    const engine = new BatchEngine(timings, createRandom(1));
    const runs = [run(engine, 3), run(engine, 3), run(engine, 3)];
    expect({ running: engine.running, queued: engine.queued }).toEqual({ running: 2, queued: 1 });
    const [first, , third] = await Promise.all(runs.map((r) => r.done));
    expect(third!.prefilledAt).toBeGreaterThan(first!.tokenAt.at(-1)!);
    expect({ running: engine.running, queued: engine.queued }).toEqual({ running: 0, queued: 0 });
  });

  it('prefills everything admitted during a pass together in the next pass', async () => {
    const engine = new BatchEngine({ ...timings, maxBatch: 3 }, createRandom(1));
    const [first, second, third] = await Promise.all([
      run(engine, 2).done,
      run(engine, 2).done,
      run(engine, 2).done,
    ]);
    expect(Math.abs(second!.prefilledAt! - third!.prefilledAt!)).toBeLessThan(0.5);
    expect(second!.prefilledAt! - first!.prefilledAt!).toBeGreaterThanOrEqual(
      timings.prefillBaseMs - 0.5,
    );
  });

  it('frees the slot of a cancelled sequence for the queue', async () => {
    const engine = new BatchEngine({ ...timings, maxBatch: 1 }, createRandom(1));
    const long = run(engine, 1_000_000);
    const waiting = run(engine, 2);
    expect(engine.queued).toBe(1);
    long.handle.cancel();
    long.handle.cancel();
    expect({ running: engine.running, queued: engine.queued }).toEqual({ running: 1, queued: 0 });
    expect((await waiting.done).tokenAt).toHaveLength(2);
  });

  it('keeps the configured step time on average', async () => {
    const engine = new BatchEngine({ ...timings, decodeStepMs: 5 }, createRandom(1));
    const { tokenAt } = await run(engine, 41).done;
    const meanGap = (tokenAt.at(-1)! - tokenAt[0]!) / 40;
    expect(meanGap).toBeGreaterThan(4.5);
    expect(meanGap).toBeLessThan(6);
  });

  it('calls nothing after stop()', async () => {
    const engine = new BatchEngine(timings, createRandom(1));
    let calls = 0;
    engine.submit(1, 5, { onPrefilled: () => calls++, onToken: () => calls++ });
    engine.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(0);
    expect(engine.running).toBe(0);
  });
});
