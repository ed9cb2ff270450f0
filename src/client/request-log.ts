import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { redactSecrets } from '../secrets.js';
import type { RequestRecord } from './types.js';

/**
 * `record-requests`: one JSON line per request, streamed to disk so memory stays flat. Lines are
 * written in order; when the disk is slower than the run, writes queue in the stream and are
 * flushed by close().
 */
export class RequestLog {
  readonly #stream: WriteStream;
  readonly #secrets: readonly string[];

  constructor(path: string, secrets: readonly string[]) {
    mkdirSync(dirname(path), { recursive: true });
    this.#stream = createWriteStream(path, { flags: 'w' });
    this.#secrets = secrets;
  }

  write(phase: 'warmup' | 'measured', trial: number, record: RequestRecord): void {
    const { itlMs, errorMessage, ...rest } = record;
    this.#stream.write(
      `${JSON.stringify({
        phase,
        trial,
        ...rest,
        ...(errorMessage !== undefined
          ? { errorMessage: redactSecrets(errorMessage, this.#secrets) }
          : {}),
        itlCount: itlMs.length,
      })}\n`,
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#stream.end(resolve));
  }
}
