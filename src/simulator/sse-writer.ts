import type { ServerResponse } from 'node:http';
import type { TimerSet } from './timers.js';

/**
 * Writes SSE text to a response as soon as it is produced (one write per event, Nagle off on
 * the socket). Can trickle one event byte by byte, like a slow link or proxy; whatever is
 * produced meanwhile waits behind it, and an end waits too.
 */
export class SseWriter {
  private backlog: string[] | undefined;
  private endRequested = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly timers: TimerSet,
  ) {}

  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  write(text: string): void {
    if (!this.open) return;
    if (this.backlog) this.backlog.push(text);
    else this.send(text);
  }

  end(): void {
    if (!this.open) return;
    if (this.backlog) this.endRequested = true;
    else this.res.end();
  }

  /**
   * Node's http server corks the socket on every write until the next tick, so without the
   * uncork a decode step's events would all leave after the step while the first-token time is
   * logged during it: the simulator's clock would run ahead of its bytes.
   */
  private send(chunk: string | Buffer): void {
    this.res.write(chunk);
    this.res.socket?.uncork();
  }

  trickle(text: string, byteIntervalMs: number): void {
    if (!this.open) return;
    if (this.backlog) {
      this.backlog.push(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    this.backlog = [];
    let offset = 0;
    const writeNextByte = (): void => {
      if (!this.open) return;
      this.send(bytes.subarray(offset, offset + 1));
      offset += 1;
      if (offset < bytes.length) {
        this.timers.after(byteIntervalMs, writeNextByte);
        return;
      }
      const backlog = this.backlog ?? [];
      this.backlog = undefined;
      for (const pending of backlog) this.send(pending);
      if (this.endRequested) this.res.end();
    };
    writeNextByte();
  }
}
