import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceParser } from 'eventsource-parser';

/**
 * Bytes of a `text/event-stream` body → the data of each event, by the WHATWG rules: LF, CRLF or
 * CR line ends, a leading BOM skipped, comments and `event`/`id`/`retry` fields ignored,
 * multi-line data joined with LF, events and UTF-8 characters split anywhere between chunks.
 * The line rules are eventsource-parser's (chosen over a hand-written byte reader by measurement:
 * bench/results/client.md); this module owns the decoding and the size limit.
 */

/** Events larger than this end the request as a protocol error instead of eating memory. */
export const MAX_EVENT_CHARS = 16 * 1024 * 1024;

export interface SseReaderCallbacks {
  /** One event's data (an event without a data field dispatches nothing). */
  onData(data: string): void;
  /** The event being read grew past MAX_EVENT_CHARS; nothing more is read. */
  onOversized(): void;
}

const CR = 0x0d;
const LF = 0x0a;
const BOM = 0xfeff;

export class SseReader {
  /**
   * Keeps a UTF-8 character split between chunks for the next one. StringDecoder rather than
   * TextDecoder: half the CPU per chunk in streaming mode, and a chunk is usually one token.
   */
  readonly #decoder = new StringDecoder('utf8');
  readonly #parser: EventSourceParser;
  #oversized = false;
  /** No text decoded yet: a BOM opening the stream is skipped (TextDecoder did that itself). */
  #atStart = true;
  /** The last chunk ended in CR: an LF opening the next one belongs to that line end. */
  #skipLf = false;

  constructor(callbacks: SseReaderCallbacks) {
    this.#parser = createParser({
      onEvent: (event) => callbacks.onData(event.data),
      onError: (error) => {
        if (error.type !== 'max-buffer-size-exceeded') return;
        this.#oversized = true;
        callbacks.onOversized();
      },
      maxBufferSize: MAX_EVENT_CHARS,
    });
  }

  feed(chunk: Uint8Array): void {
    if (this.#oversized) return;
    let text = this.#decoder.write(chunk);
    if (this.#atStart && text.length > 0) {
      this.#atStart = false;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    if (this.#skipLf && text.length > 0) {
      this.#skipLf = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    // A CR at the end of a chunk ends its line whatever follows; the parser would wait for the
    // next chunk to rule out CRLF, and the event would be stamped with that chunk's arrival.
    if (text.charCodeAt(text.length - 1) === CR) {
      this.#skipLf = true;
      text += '\n';
    }
    this.#parser.feed(text);
  }
}
