/** Timeouts owned by one request, cleared together when its connection ends. */
export class TimerSet {
  private readonly timers = new Set<NodeJS.Timeout>();

  after(delayMs: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, delayMs);
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
