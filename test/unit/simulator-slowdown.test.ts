import { describe, expect, it } from 'vitest';
import { simulatorOptionsFromFlags } from '../../src/cli/simulate-options.js';
import { createRandom } from '../../src/random.js';
import { BatchEngine, type EngineTimings } from '../../src/simulator/engine.js';
import { resolveOptions } from '../../src/simulator/options.js';
import {
  SLOWDOWN_STEP_MS,
  createSlowdown,
  type SlowdownOptions,
} from '../../src/simulator/slowdown.js';
import { ManualClock } from '../helpers/manual-clock.js';

const START = 1_750_000_000_000;
const base: SlowdownOptions = {
  sigma: 0.05,
  reversionSeconds: 10,
  seed: 7,
  startEpochMs: START,
};

/** Epoch times off and on the grid, across several generation blocks, and before the start. */
const times = Array.from({ length: 400 }, (_, i) => START - 5_000 + i * 1_234.5);

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function sd(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1));
}

describe('createSlowdown', () => {
  it('gives two instances with the same options the same factors, whatever the query order', () => {
    const first = createSlowdown(base);
    const second = createSlowdown({ ...base });
    const forward = times.map((t) => first(t));
    const shuffled = [...times.keys()].sort(
      (a, b) => ((a * 7919) % times.length) - ((b * 7919) % times.length),
    );
    const backwardAnswers = new Map<number, number>();
    for (const i of [...times.keys()].reverse()) backwardAnswers.set(i, second(times[i]!));
    const third = createSlowdown(base);
    for (const i of shuffled) expect(third(times[i]!)).toBe(forward[i]);
    expect(times.map((_, i) => backwardAnswers.get(i))).toEqual(forward);
    // Asking the first one again (blocks long evicted) changes nothing either.
    expect(times.map((t) => first(t))).toEqual(forward);
    expect(new Set(forward).size).toBeGreaterThan(300);
  });

  it('follows another path under another seed', () => {
    const a = createSlowdown(base);
    const b = createSlowdown({ ...base, seed: 8 });
    const differing = times.filter((t) => a(t) !== b(t));
    expect(differing.length).toBe(times.length);
    const logs = (f: (t: number) => number) => times.map((t) => Math.log(f(t)));
    const la = logs(a);
    const lb = logs(b);
    expect(Math.max(...la.map((x, i) => Math.abs(x - lb[i]!)))).toBeGreaterThan(0.01);
  });

  it('shifts the path with the start time', () => {
    const shiftMs = 37_000;
    const a = createSlowdown(base);
    const b = createSlowdown({ ...base, startEpochMs: START + shiftMs });
    for (const t of times) expect(b(t + shiftMs)).toBe(a(t));
    expect(times.some((t) => b(t) !== a(t))).toBe(true);
  });

  it('holds x_0 before the start and interpolates log-linearly between grid points', () => {
    const f = createSlowdown(base);
    expect(f(START - 1e9)).toBe(f(START));
    const k = 123;
    const left = Math.log(f(START + k * SLOWDOWN_STEP_MS));
    const right = Math.log(f(START + (k + 1) * SLOWDOWN_STEP_MS));
    const quarter = Math.log(f(START + (k + 0.25) * SLOWDOWN_STEP_MS));
    expect(quarter).toBeCloseTo(left + 0.25 * (right - left), 12);
  });

  it('is exactly 1 with sigma 0', () => {
    const f = createSlowdown({ ...base, sigma: 0 });
    for (const t of times) expect(f(t)).toBe(1);
  });

  it('has the stationary spread and the 1-second increments of the OU process', () => {
    const { sigma, reversionSeconds: tau } = base;
    const f = createSlowdown(base);
    const steps = 100_000;
    const logs = Array.from({ length: steps }, (_, k) => Math.log(f(START + k * SLOWDOWN_STEP_MS)));
    // Stationary x ~ N(0, σ²τ/2). The path spans 10⁴ s ≈ 500 independent stretches of 2τ, so
    // the sample sd is within a few percent and the mean within ~0.05 stationary sds.
    const stationarySd = sigma * Math.sqrt(tau / 2);
    expect(sd(logs)).toBeGreaterThan(0.85 * stationarySd);
    expect(sd(logs)).toBeLessThan(1.15 * stationarySd);
    expect(Math.abs(mean(logs))).toBeLessThan(0.25 * stationarySd);

    // x(t+1) − x(t) = (a − 1)·x(t) + ε with a = e^(−1/τ), Var ε = σ²τ/2·(1 − a²), so
    // Var = σ²τ/2·((1 − a)² + 1 − a²) = σ²τ·(1 − a).
    const stride = 1000 / SLOWDOWN_STEP_MS;
    const increments: number[] = [];
    for (let k = 0; k + stride < steps; k += stride) increments.push(logs[k + stride]! - logs[k]!);
    const a = Math.exp(-1 / tau);
    const incrementSd = sigma * Math.sqrt(tau * (1 - a));
    expect(sd(increments)).toBeGreaterThan(0.93 * incrementSd);
    expect(sd(increments)).toBeLessThan(1.07 * incrementSd);

    // Lag-1 s autocorrelation e^(−1/τ) (≈ 0.905 for τ = 10).
    const m = mean(logs);
    let covariance = 0;
    for (let k = 0; k + stride < steps; k++) covariance += (logs[k]! - m) * (logs[k + stride]! - m);
    const autocorrelation = covariance / (steps - stride) / sd(logs) ** 2;
    expect(autocorrelation).toBeGreaterThan(a - 0.05);
    expect(autocorrelation).toBeLessThan(a + 0.05);
  });
});

describe('slowdown options', () => {
  it('defaults to off, τ 10 s, the simulator seed and the creation time', () => {
    const before = performance.timeOrigin + performance.now();
    const resolved = resolveOptions({ seed: 42 });
    const after = performance.timeOrigin + performance.now();
    expect(resolved).toMatchObject({
      slowdownSigma: 0,
      slowdownReversionSeconds: 10,
      slowdownSeed: 42,
    });
    expect(resolved.slowdownStartEpochMs).toBeGreaterThanOrEqual(before);
    expect(resolved.slowdownStartEpochMs).toBeLessThanOrEqual(after);
    expect(resolveOptions({ slowdownSeed: 3, slowdownStartEpochMs: 5 })).toMatchObject({
      slowdownSeed: 3,
      slowdownStartEpochMs: 5,
    });
  });

  it('rejects a negative sigma and a reversion time of 0', () => {
    expect(() => resolveOptions({ slowdownSigma: -0.1 })).toThrow(/slowdownSigma/);
    expect(() => resolveOptions({ slowdownReversionSeconds: 0 })).toThrow(/> 0/);
    expect(() => resolveOptions({ slowdownSeed: 1.5 })).toThrow(/slowdownSeed/);
  });
});

describe('BatchEngine with a slowdown', () => {
  const timings: EngineTimings = {
    prefillBaseMs: 2,
    prefillMsPerToken: 0,
    decodeStepMs: 1,
    decodeStepMsPerSequence: 0,
    maxBatch: 4,
    jitter: 0,
    ttftScale: 1,
    itlScale: 1,
    slowdownSigma: 0.5,
    slowdownReversionSeconds: 10,
    slowdownSeed: 3,
    slowdownStartEpochMs: START,
  };

  it('multiplies prefill passes and decode steps by the factor at the current epoch time', () => {
    const clock = new ManualClock();
    const engine = new BatchEngine(timings, createRandom(1), {
      clock,
      epochAtClockZeroMs: START,
    });
    const factor = createSlowdown({
      sigma: 0.5,
      reversionSeconds: 10,
      seed: 3,
      startEpochMs: START,
    });
    const submittedAt = 5_000;
    clock.advance(submittedAt);
    const events: { prefilledAt?: number; tokenAt: number[] } = { tokenAt: [] };
    engine.submit(10, 2, {
      onPrefilled: () => (events.prefilledAt = clock.now()),
      onToken: () => events.tokenAt.push(clock.now()),
    });
    clock.runAll();
    const prefillFactor = factor(START + submittedAt);
    // A slowdown worth seeing, so that the test would notice it missing.
    expect(Math.abs(Math.log(prefillFactor))).toBeGreaterThan(0.05);
    expect(events.prefilledAt! - submittedAt).toBeCloseTo(2 * prefillFactor, 9);
    const stepFactor = factor(START + events.prefilledAt!);
    expect(events.tokenAt[0]! - events.prefilledAt!).toBeCloseTo(1 * stepFactor, 9);
  });

  it('leaves the timing alone with sigma 0', () => {
    const clock = new ManualClock();
    const engine = new BatchEngine({ ...timings, slowdownSigma: 0 }, createRandom(1), { clock });
    let prefilledAt: number | undefined;
    engine.submit(10, 1, { onPrefilled: () => (prefilledAt = clock.now()), onToken: () => {} });
    clock.runAll();
    expect(prefilledAt).toBe(2);
  });
});

describe('llm-perf-gate simulate slowdown flags', () => {
  it('maps the flags to the slowdown options', () => {
    expect(
      simulatorOptionsFromFlags({
        'slowdown-sigma': '0.05',
        'slowdown-reversion-s': '30',
        'slowdown-seed': '9',
        'slowdown-start': String(START),
      }),
    ).toMatchObject({
      slowdownSigma: 0.05,
      slowdownReversionSeconds: 30,
      slowdownSeed: 9,
      slowdownStartEpochMs: START,
    });
    expect(() => simulatorOptionsFromFlags({ 'slowdown-reversion-s': '0' })).toThrow(/positive/);
    expect(() => simulatorOptionsFromFlags({ 'slowdown-sigma': '-1' })).toThrow(/≥ 0/);
  });
});
