/**
 * Node's setTimeout counts from the event loop's cached clock, so it can fire up to about a
 * millisecond early by performance.now(): a lot next to a 4 ms decode step. Re-arming once
 * more when woken early keeps every event within half a millisecond of its target.
 */
const EARLY_TOLERANCE_MS = 0.5;

export class Deadline {
  private timer: NodeJS.Timeout;

  constructor(
    readonly dueMs: number,
    private readonly callback: () => void,
  ) {
    // Node 24 warns on negative delays; a due time already past fires on the next tick.
    this.timer = setTimeout(() => this.fire(), Math.max(0, dueMs - performance.now()));
  }

  cancel(): void {
    clearTimeout(this.timer);
  }

  private fire(): void {
    const remainingMs = this.dueMs - performance.now();
    if (remainingMs > EARLY_TOLERANCE_MS) {
      this.timer = setTimeout(() => this.fire(), remainingMs);
      return;
    }
    this.callback();
  }
}
