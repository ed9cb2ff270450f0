/**
 * The challenger in the client bench: the hand-written SSE byte reader and token templates that
 * src/client used before eventsource-parser (see bench/results/client.md for the decision).
 * It reads an SSE body as bytes (no decoding unless an event spans chunks) and, once an event
 * envelope has been proven, reads later events that fit it without JSON.parse. Same effects as
 * src/client/openai-chunk.ts, so the two rows measure only how events are read.
 */
import type { EventDecoderFactory, EventSink } from '../../src/client/stream-client.js';
import { effectsOf, interpretEvent, type EventEffects } from '../../src/client/openai-chunk.js';

/** Events larger than this end the request as a protocol error instead of eating memory. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = Buffer.from('\n');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const DONE = Buffer.from('[DONE]');

/** Receives one event's data as a byte range, valid only during the call. */
type DataHandler = (bytes: Buffer, start: number, end: number) => void;

/**
 * Splits an SSE byte stream into the data of its events, by the WHATWG parsing rules (LF, CRLF
 * or CR line ends; multi-line data joined with LF; a leading BOM skipped). Only `data` matters
 * to an OpenAI stream: `event`, `id`, `retry` and comments are skipped. It works on bytes, since
 * line ends are ASCII and never split a UTF-8 character, and hands each event's data on as a
 * range of the chunk it arrived in: nothing is copied or decoded unless an event spans chunks.
 */
export class SseDataReader {
  readonly #onData: DataHandler;
  /** An unterminated line, copied piece by piece (undici may reuse the chunk's memory). */
  readonly #partial: Buffer[] = [];
  #partialBytes = 0;
  /** The event's single data line so far, as a range (the common case)... */
  #line: Buffer | undefined;
  #lineStart = 0;
  #lineEnd = 0;
  /** ...or copies of all its data lines once there is more than one. */
  #lines: Buffer[] | undefined;
  #dataBytes = 0;
  /** The last chunk ended in CR: an LF opening the next one belongs to that line end. */
  #skipLf = false;
  /** Still within the first bytes, where a BOM may be. */
  #atStart = true;
  #bomMatched = 0;

  constructor(onData: DataHandler) {
    this.#onData = onData;
  }

  /** Returns false once the event being read has grown past MAX_EVENT_BYTES. */
  feed(chunk: Buffer): boolean {
    const length = chunk.length;
    if (length === 0) return true;
    let position = this.#atStart ? this.#skipBom(chunk) : 0;
    if (this.#skipLf) {
      this.#skipLf = false;
      if (chunk[0] === LF) position = 1;
    }
    // Most streams never use CR: then a single indexOf per line finds every line end.
    let crAt = chunk.indexOf(CR, position);
    let withinLimit = true;
    while (position < length && withinLimit) {
      let lineEnd = chunk.indexOf(LF, position);
      let next = lineEnd + 1;
      if (crAt !== -1) {
        if (crAt < position) crAt = chunk.indexOf(CR, position);
        if (crAt !== -1 && (lineEnd === -1 || crAt < lineEnd)) {
          lineEnd = crAt;
          next = chunk[crAt + 1] === LF ? crAt + 2 : crAt + 1;
          if (crAt + 1 === length) this.#skipLf = true;
        }
      }
      if (lineEnd === -1) {
        withinLimit = this.#keepPartial(chunk.subarray(position));
        break;
      }
      withinLimit = this.#completeLine(chunk, position, lineEnd);
      position = next;
    }
    // A data line whose event ends in a later chunk must outlive this one.
    if (this.#line === chunk) {
      this.#line = Buffer.from(chunk.subarray(this.#lineStart, this.#lineEnd));
      this.#lineStart = 0;
      this.#lineEnd = this.#line.length;
    }
    return withinLimit;
  }

  /** Skips a byte-order mark at the very start, even one split over chunks; returns where to go on. */
  #skipBom(chunk: Buffer): number {
    let position = 0;
    while (position < chunk.length && this.#bomMatched < BOM.length) {
      if (chunk[position] !== BOM[this.#bomMatched]) {
        // Not a BOM after all: the bytes taken for one begin the first line.
        this.#atStart = false;
        if (this.#bomMatched > 0) this.#keepPartial(BOM.subarray(0, this.#bomMatched));
        return position;
      }
      this.#bomMatched++;
      position++;
    }
    if (this.#bomMatched === BOM.length) this.#atStart = false;
    return position;
  }

  #keepPartial(piece: Buffer): boolean {
    this.#partial.push(Buffer.from(piece));
    this.#partialBytes += piece.length;
    return this.#partialBytes + this.#dataBytes <= MAX_EVENT_BYTES;
  }

  #completeLine(chunk: Buffer, start: number, end: number): boolean {
    if (this.#partialBytes === 0) return this.#field(chunk, start, end);
    this.#partial.push(chunk.subarray(start, end));
    const line = Buffer.concat(this.#partial);
    this.#partial.length = 0;
    this.#partialBytes = 0;
    return this.#field(line, 0, line.length);
  }

  #field(line: Buffer, start: number, end: number): boolean {
    const length = end - start;
    if (length === 0) {
      this.#dispatch();
      return true;
    }
    const isData =
      length >= 4 &&
      line[start] === 0x64 && // d
      line[start + 1] === 0x61 && // a
      line[start + 2] === 0x74 && // t
      line[start + 3] === 0x61 && // a
      (length === 4 || line[start + 4] === COLON);
    if (!isData) return true;
    let valueStart = Math.min(start + 5, end);
    if (valueStart < end && line[valueStart] === SPACE) valueStart++;
    if (this.#line === undefined && this.#lines === undefined) {
      this.#line = line;
      this.#lineStart = valueStart;
      this.#lineEnd = end;
    } else {
      this.#lines ??= [Buffer.from(this.#line!.subarray(this.#lineStart, this.#lineEnd))];
      this.#line = undefined;
      this.#lines.push(Buffer.from(line.subarray(valueStart, end)));
    }
    this.#dataBytes += length;
    return this.#dataBytes <= MAX_EVENT_BYTES;
  }

  #dispatch(): void {
    const single = this.#line;
    const lines = this.#lines;
    this.#line = undefined;
    this.#lines = undefined;
    this.#dataBytes = 0;
    if (single !== undefined) {
      this.#onData(single, this.#lineStart, this.#lineEnd);
    } else if (lines !== undefined) {
      const joined = Buffer.concat(
        lines.flatMap((line, at) => (at === 0 ? [line] : [NEWLINE, line])),
      );
      this.#onData(joined, 0, joined.length);
    }
  }
}

function sameEffects(a: EventEffects, b: EventEffects): boolean {
  return (
    a.failure === undefined &&
    b.failure === undefined &&
    a.systemFingerprint === b.systemFingerprint &&
    a.usageTokens === b.usageTokens &&
    a.promptTokens === b.promptTokens &&
    a.finishReason === b.finishReason &&
    a.texts.length === b.texts.length &&
    a.texts.every((piece, at) => b.texts[at]?.output === piece.output)
  );
}

/** Keys whose string value carries the generated text, in the order they are tried. */
const TEXT_KEYS = ['"content"', '"text"', '"reasoning_content"', '"reasoning"'];

/**
 * The parse of a stream's token events without JSON.parse. Servers send every token in the same
 * envelope: only the text differs. A template holds the bytes before and after the text literal
 * of one parsed event; a later event with exactly those bytes around a well-formed JSON string
 * body is valid JSON whose parse differs only in that literal, so its effects are known: the
 * template's, for an empty or a non-empty text. Both are found by JSON.parse when the template
 * is made, which also proves the literal matters only through its emptiness (swapping in another
 * non-empty text changes no effect). Anything else falls back to JSON.parse.
 */
class TokenTemplate {
  private constructor(
    readonly prefix: Buffer,
    readonly suffix: Buffer,
    readonly withText: EventEffects,
    readonly withoutText: EventEffects,
    readonly output: boolean,
  ) {}

  /** A template from a parsed event that carried text, or undefined if it does not prove out. */
  static from(bytes: Buffer, start: number, end: number, effects: EventEffects) {
    for (const key of TEXT_KEYS) {
      const literal = textLiteral(bytes, start, end, key);
      if (literal === undefined || literal.bodyEnd === literal.bodyStart) continue;
      const prefix = Buffer.from(bytes.subarray(start, literal.bodyStart));
      const suffix = Buffer.from(bytes.subarray(literal.bodyEnd, end));
      // Another non-empty text, different from this one.
      const other = literal.value === 'x' ? 'y' : 'x';
      const withOther = parsedEffects(`${prefix.toString()}${other}${suffix.toString()}`);
      const withoutText = parsedEffects(`${prefix.toString()}${suffix.toString()}`);
      const proven = withOther !== undefined && sameEffects(withOther, effects);
      if (proven && withoutText !== undefined && withoutText.failure === undefined) {
        return new TokenTemplate(prefix, suffix, effects, withoutText, effects.texts[0]!.output);
      }
    }
    return undefined;
  }

  /** The effects of an event that fits the template, or undefined. */
  match(bytes: Buffer, start: number, end: number): EventEffects | undefined {
    const { prefix, suffix } = this;
    const bodyStart = start + prefix.length;
    const bodyEnd = end - suffix.length;
    if (bodyEnd < bodyStart) return undefined;
    if (bytes.compare(prefix, 0, prefix.length, start, bodyStart) !== 0) return undefined;
    if (bytes.compare(suffix, 0, suffix.length, bodyEnd, end) !== 0) return undefined;
    const body = stringBody(bytes, bodyStart, bodyEnd);
    if (body === undefined) return undefined;
    if (bodyEnd === bodyStart) return this.withoutText;
    // Escapes need JSON's reading; plain text is the bytes themselves.
    const text =
      body === 'escaped'
        ? (JSON.parse(bytes.toString('utf8', bodyStart - 1, bodyEnd + 1)) as string)
        : bytes.toString('utf8', bodyStart, bodyEnd);
    return { ...this.withText, texts: [{ output: this.output, text }] };
  }
}

function parsedEffects(text: string): EventEffects | undefined {
  try {
    return effectsOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The first string literal that follows `key` and a colon, within [start, end). */
function textLiteral(
  bytes: Buffer,
  start: number,
  end: number,
  key: string,
): { bodyStart: number; bodyEnd: number; value: string } | undefined {
  const at = bytes.indexOf(key, start);
  if (at < 0 || at >= end) return undefined;
  let position = skipSpace(bytes, at + key.length, end);
  if (bytes[position] !== COLON) return undefined;
  position = skipSpace(bytes, position + 1, end);
  if (position >= end || bytes[position] !== QUOTE) return undefined;
  const bodyStart = position + 1;
  for (let index = bodyStart; index < end; index++) {
    if (bytes[index] === BACKSLASH) {
      index++;
    } else if (bytes[index] === QUOTE) {
      try {
        const value = JSON.parse(bytes.toString('utf8', position, index + 1)) as string;
        return { bodyStart, bodyEnd: index, value };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function skipSpace(bytes: Buffer, from: number, end: number): number {
  let position = from;
  while (position < end) {
    const byte = bytes[position];
    if (byte !== SPACE && byte !== 0x09 && byte !== LF && byte !== CR) break;
    position++;
  }
  return position;
}

/** Escapes JSON allows after a backslash, besides \u: " \ / b f n r t. */
const SIMPLE_ESCAPES = new Set([QUOTE, BACKSLASH, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

/** Whether bytes [start, end) are the inside of a valid JSON string literal, and with escapes. */
function stringBody(bytes: Buffer, start: number, end: number): 'plain' | 'escaped' | undefined {
  let escaped = false;
  for (let index = start; index < end; index++) {
    const byte = bytes[index]!;
    if (byte === QUOTE || byte < 0x20) return undefined;
    if (byte !== BACKSLASH) continue;
    escaped = true;
    index++;
    if (index >= end) return undefined;
    const next = bytes[index]!;
    if (next === 0x75) {
      // \uXXXX
      if (index + 4 >= end) return undefined;
      for (let digit = 1; digit <= 4; digit++) {
        if (!isHexDigit(bytes[index + digit]!)) return undefined;
      }
      index += 4;
    } else if (!SIMPLE_ESCAPES.has(next)) {
      return undefined;
    }
  }
  return escaped ? 'escaped' : 'plain';
}

function isHexDigit(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x46) ||
    (byte >= 0x61 && byte <= 0x66)
  );
}

/** Templates a stream may try before it is taken for one whose envelope changes every event. */
const MAX_TEMPLATES_PER_STREAM = 4;

/** One response's events: templates first, JSON.parse for whatever does not fit one. */
class ByteEvents {
  readonly #sink: EventSink;
  readonly #reader = new SseDataReader((bytes, start, end) => this.#onEvent(bytes, start, end));
  #template: TokenTemplate | undefined;
  #templatesTried = 0;

  constructor(sink: EventSink) {
    this.#sink = sink;
  }

  feed(chunk: Buffer): void {
    if (!this.#reader.feed(chunk)) this.#sink.oversized();
  }

  #onEvent(bytes: Buffer, start: number, end: number): void {
    if (end - start === DONE.length && bytes.compare(DONE, 0, DONE.length, start, end) === 0) {
      this.#sink.event('done');
      return;
    }
    const matched = this.#template?.match(bytes, start, end);
    if (matched) {
      this.#sink.event(matched);
      return;
    }
    const effects = interpretEvent(bytes.toString('utf8', start, end));
    if (effects === 'done') return;
    this.#sink.event(effects);
    if (effects.texts.length === 1 && this.#templatesTried < MAX_TEMPLATES_PER_STREAM) {
      this.#templatesTried++;
      this.#template = TokenTemplate.from(bytes, start, end, effects) ?? this.#template;
    }
  }
}

export const byteEvents: EventDecoderFactory = (sink) => new ByteEvents(sink);
