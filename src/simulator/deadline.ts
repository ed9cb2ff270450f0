import { realClock, type Clock, type ClockTimer } from './clock.js';

/**
 * Node's setTimeout counts from the event loop's cached clock, so it can fire up to about a
 * millisecond early by performance.now(): a lot next to a 4 ms decode step. Re-arming once
 * more when woken early keeps every event within half a millisecond of its target.
 */
const EARLY_TOLERANCE_MS = 0.5;

export class Deadline {
  private timer: ClockTimer;

  constructor(
    readonly dueMs: number,
    private readonly callback: () => void,
    private readonly clock: Clock = realClock,
  ) {
    // Node 24 warns on negative delays; a due time already past fires on the next tick.
    this.timer = clock.schedule(Math.max(0, dueMs - clock.now()), () => this.fire());
  }

  cancel(): void {
    this.timer.cancel();
  }

  private fire(): void {
    const remainingMs = this.dueMs - this.clock.now();
    if (remainingMs > EARLY_TOLERANCE_MS) {
      this.timer = this.clock.schedule(remainingMs, () => this.fire());
      return;
    }
    this.callback();
  }
}
