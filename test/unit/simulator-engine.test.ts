import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/random.js';
import { Deadline } from '../../src/simulator/deadline.js';
import { BatchEngine, type EngineTimings } from '../../src/simulator/engine.js';
import { ManualClock } from '../helpers/manual-clock.js';

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

/** Submits a sequence and records, on the engine's clock, when each of its events happened. */
function submit(engine: BatchEngine, clock: ManualClock, outputTokens: number) {
  const events: { prefilledAt?: number; tokenAt: number[]; done: boolean } = {
    tokenAt: [],
    done: false,
  };
  const handle = engine.submit(10, outputTokens, {
    onPrefilled: () => {
      events.prefilledAt = clock.now();
    },
    onToken: (index, isLast) => {
      expect(index).toBe(events.tokenAt.length);
      events.tokenAt.push(clock.now());
      events.done = isLast;
    },
  });
  return { events, handle };
}

function engineWith(overrides: Partial<EngineTimings> = {}, clock = new ManualClock()) {
  return {
    clock,
    engine: new BatchEngine({ ...timings, ...overrides }, createRandom(1), { clock }),
  };
}

describe('BatchEngine', () => {
  it('admits up to maxBatch and queues the rest in order', () => {
    const { clock, engine } = engineWith();
    const [first, second, third] = [1, 2, 3].map(() => submit(engine, clock, 3).events);
    expect({ running: engine.running, queued: engine.queued }).toEqual({ running: 2, queued: 1 });
    clock.runAll();
    // The first is prefilled alone (0–2 ms), the second in the next pass (2–4 ms), joining the
    // steps that run every 1 ms; the third waits for the first's slot, free at 5 ms.
    expect(first).toEqual({ prefilledAt: 2, tokenAt: [3, 4, 5], done: true });
    expect(second).toEqual({ prefilledAt: 4, tokenAt: [4, 5, 6], done: true });
    expect(third).toEqual({ prefilledAt: 7, tokenAt: [8, 9, 10], done: true });
    expect({ running: engine.running, queued: engine.queued }).toEqual({ running: 0, queued: 0 });
  });

  it('prefills everything admitted during a pass together in the next pass', () => {
    const { clock, engine } = engineWith({ maxBatch: 3 });
    const [first, second, third] = [1, 2, 3].map(() => submit(engine, clock, 2).events);
    clock.runAll();
    expect([first?.prefilledAt, second?.prefilledAt, third?.prefilledAt]).toEqual([2, 4, 4]);
  });

  it('frees the slot of a cancelled sequence for the queue', () => {
    const { clock, engine } = engineWith({ maxBatch: 1 });
    const long = submit(engine, clock, 1_000_000);
    const waiting = submit(engine, clock, 2);
    expect(engine.queued).toBe(1);
    clock.advance(10);
    long.handle.cancel();
    long.handle.cancel();
    expect({ running: engine.running, queued: engine.queued }).toEqual({ running: 1, queued: 0 });
    clock.runAll();
    expect(waiting.events).toMatchObject({ prefilledAt: 12, tokenAt: [13, 14], done: true });
    expect(long.events.done).toBe(false);
  });

  it('keeps the configured step time when every timer fires late', () => {
    // Each step is due 5 ms after the previous step's target, not after the late wake-up.
    const { clock, engine } = engineWith({ decodeStepMs: 5 }, new ManualClock(0.7));
    const { events } = submit(engine, clock, 41);
    clock.runAll();
    const meanGap = (events.tokenAt.at(-1)! - events.tokenAt[0]!) / 40;
    expect(meanGap).toBeCloseTo(5, 6);
  });

  it('grows the step with the batch and scales decode by itl-scale', () => {
    const { clock, engine } = engineWith({
      decodeStepMs: 4,
      decodeStepMsPerSequence: 1,
      itlScale: 2,
      maxBatch: 8,
    });
    const a = submit(engine, clock, 2).events;
    const b = submit(engine, clock, 2).events;
    clock.runAll();
    // a alone: a step of 4 ms × itl-scale 2, due at 2 + 8. b joins the batch at 4 and gets a
    // token from that same step; the next step holds two sequences: (4 + 1) × 2 = 10 ms.
    expect(b.prefilledAt).toBe(4);
    expect(a.tokenAt).toEqual([10, 20]);
    expect(b.tokenAt).toEqual([10, 20]);
  });

  it('calls nothing after stop() and leaves no timer behind', () => {
    const { clock, engine } = engineWith();
    let calls = 0;
    engine.submit(1, 5, { onPrefilled: () => calls++, onToken: () => calls++ });
    engine.stop();
    clock.runAll();
    expect(calls).toBe(0);
    expect(engine.running).toBe(0);
    expect(clock.timers).toBe(0);
  });
});

describe('Deadline', () => {
  it('re-arms when the clock wakes it early, and fires within half a millisecond', () => {
    const clock = new ManualClock(-0.9);
    const firedAt: number[] = [];
    new Deadline(10, () => firedAt.push(clock.now()), clock);
    clock.runAll();
    expect(firedAt).toHaveLength(1);
    expect(firedAt[0]).toBeGreaterThanOrEqual(9.5);
  });

  it('never fires once cancelled', () => {
    const clock = new ManualClock();
    let fired = false;
    new Deadline(3, () => (fired = true), clock).cancel();
    clock.runAll();
    expect(fired).toBe(false);
  });
});
