/**
 * Time as the simulator's engine sees it: the real monotonic clock and timers in the server,
 * a manual clock in tests (test/helpers/manual-clock.ts), so that a test of the engine's
 * schedule neither sleeps nor depends on how busy the machine is.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale, like performance.now(). */
  now(): number;
  /** Calls `callback` once, about `delayMs` from now; returns a handle for `cancel`. */
  schedule(delayMs: number, callback: () => void): ClockTimer;
}

export interface ClockTimer {
  cancel(): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  schedule(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(timer) };
  },
};
