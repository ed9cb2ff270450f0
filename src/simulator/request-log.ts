import type { SimulatorRequestLog } from './types.js';

/** The most recent request log entries in a fixed-size ring, so long soaks stay flat in memory. */
export class RequestLog {
  private readonly entries: SimulatorRequestLog[] = [];
  /** Where the next entry goes once the ring is full. */
  private nextSlot = 0;

  constructor(private readonly capacity: number) {}

  add(entry: SimulatorRequestLog): void {
    if (this.entries.length < this.capacity) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.nextSlot] = entry;
    this.nextSlot = (this.nextSlot + 1) % this.capacity;
  }

  /** Oldest first. */
  list(): SimulatorRequestLog[] {
    return [...this.entries.slice(this.nextSlot), ...this.entries.slice(0, this.nextSlot)];
  }

  clear(): void {
    this.entries.length = 0;
    this.nextSlot = 0;
  }
}
