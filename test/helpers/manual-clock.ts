import type { Clock, ClockTimer } from '../../src/simulator/clock.js';

interface Pending {
  dueMs: number;
  order: number;
  callback: () => void;
}

/**
 * A clock that moves only when told: `advance` runs every timer due by then in time order, each
 * seeing `now()` at its own firing time. `offsetMs` models an imperfect event loop: a timer
 * fires that much after the delay it was given or, negative, that much before it (never before
 * half of it, as Node's early wake-ups are under a millisecond).
 */
export class ManualClock implements Clock {
  private nowMs = 0;
  private order = 0;
  private readonly pending = new Set<Pending>();

  constructor(private readonly offsetMs = 0) {}

  now(): number {
    return this.nowMs;
  }

  schedule(delayMs: number, callback: () => void): ClockTimer {
    const firesAfterMs = Math.max(delayMs / 2, delayMs + this.offsetMs, 0);
    const dueMs = this.nowMs + firesAfterMs;
    const timer: Pending = { dueMs, order: this.order++, callback };
    this.pending.add(timer);
    return { cancel: () => this.pending.delete(timer) };
  }

  get timers(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, firing timers (and those they schedule) on the way. */
  advance(ms: number): void {
    this.fireUntil(this.nowMs + ms);
  }

  /** Fires timers until none is left. */
  runAll(): void {
    this.fireUntil(Infinity);
  }

  /** Bounded, so a schedule that never ends fails the test instead of hanging it. */
  private fireUntil(targetMs: number, maxTimers = 1_000_000): void {
    let fired = 0;
    for (let next = this.nextDue(targetMs); next; next = this.nextDue(targetMs)) {
      if (++fired > maxTimers) throw new Error(`ManualClock: more than ${maxTimers} timers`);
      this.pending.delete(next);
      this.nowMs = next.dueMs;
      next.callback();
    }
    if (Number.isFinite(targetMs)) this.nowMs = targetMs;
  }

  private nextDue(limitMs: number): Pending | undefined {
    let next: Pending | undefined;
    for (const timer of this.pending) {
      if (timer.dueMs > limitMs) continue;
      if (
        !next ||
        timer.dueMs < next.dueMs ||
        (timer.dueMs === next.dueMs && timer.order < next.order)
      ) {
        next = timer;
      }
    }
    return next;
  }
}
