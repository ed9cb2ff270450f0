import { performance } from 'node:perf_hooks';
import { Agent, type Dispatcher } from 'undici';
import type { ApiKind } from '../config/types.js';
import type { PlannedRequest } from '../workload/types.js';
import { probeModels } from './endpoint-probe.js';
import { classifyStatus, classifyTransportError, describeTransportError } from './classify.js';
import type { ErrorClass, RequestRecord, ResponseFacts } from './types.js';

export interface StreamClientOptions {
  endpoint: string;
  api: ApiKind;
  model: string;
  apiKey?: string;
  headers: Record<string, string>;
  /** Sizes the connection pool: one connection per request in flight. */
  connections: number;
  timeoutMs: number;
}

/** Events larger than this end the request as a protocol error instead of eating memory. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;
const ERROR_TEXT_LIMIT = 200;

interface StreamChoice {
  delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown } | null;
  text?: unknown;
  finish_reason?: unknown;
}

interface StreamChunk {
  choices?: unknown;
  usage?: { completion_tokens?: unknown; prompt_tokens?: unknown } | null;
  system_fingerprint?: unknown;
  error?: unknown;
}

/** Where a request's exchange reports what it learnt about the endpoint. */
interface FactsSink {
  noteServer(server: string | string[] | undefined): void;
  noteFingerprint(fingerprint: string): void;
}

/**
 * Streams one request and measures it. Built on undici's dispatch API rather than a body stream:
 * each chunk reaches the handler straight from the HTTP parser, with no Readable, no decoder and
 * no promise per chunk, so the client stays cheap at thousands of concurrent streams. Arrival is
 * stamped when a chunk's bytes arrive, before any decoding or parsing, so parsing cost cannot
 * inflate TTFT or ITL.
 */
export class StreamClient {
  readonly #dispatcher: Agent;
  readonly #origin: string;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #options: StreamClientOptions;
  #facts: ResponseFacts = {};
  /** Keeps the first `server` header and `system_fingerprint` seen. */
  readonly #factsSink: FactsSink = {
    noteServer: (server) => {
      if (this.#facts.server || server === undefined) return;
      const value = Array.isArray(server) ? server.join(', ') : server;
      this.#facts = { ...this.#facts, server: value };
    },
    noteFingerprint: (fingerprint) => {
      if (this.#facts.systemFingerprint) return;
      this.#facts = { ...this.#facts, systemFingerprint: fingerprint };
    },
  };

  constructor(options: StreamClientOptions) {
    this.#options = options;
    const url = new URL(options.endpoint);
    this.#origin = url.origin;
    const base = url.pathname.replace(/\/+$/, '');
    this.#path = `${base}/${options.api === 'chat' ? 'chat/completions' : 'completions'}${url.search}`;
    this.#dispatcher = new Agent({
      connections: options.connections,
      pipelining: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 30_000,
    });
    this.#headers = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'user-agent': 'llm-perf-gate',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      ...options.headers,
    };
  }

  /** `server` header and `system_fingerprint` from the first responses that carried them. */
  get facts(): ResponseFacts {
    return this.#facts;
  }

  /** Lists the endpoint's models over the same connection pool (best effort). */
  probeModels(): Promise<string[] | undefined> {
    const headers = Object.fromEntries(
      Object.entries(this.#headers).filter(
        ([name]) => name !== 'content-type' && name !== 'accept',
      ),
    );
    return probeModels(this.#dispatcher, this.#options.endpoint, headers);
  }

  send(
    planned: PlannedRequest,
    context: { scheduleDelayMs: number; signal?: AbortSignal },
  ): Promise<RequestRecord> {
    const body = JSON.stringify({
      model: this.#options.model,
      ...planned.body,
      stream: true,
      stream_options: { include_usage: true },
    });
    return new Promise<RequestRecord>((resolve) => {
      const exchange = new StreamExchange(
        new Measurement(planned, context.scheduleDelayMs),
        this.#options.timeoutMs,
        this.#factsSink,
        resolve,
        context.signal,
      );
      if (exchange.settled) return;
      try {
        this.#dispatcher.dispatch(
          { origin: this.#origin, path: this.#path, method: 'POST', headers: this.#headers, body },
          exchange,
        );
      } catch (error) {
        exchange.onResponseError(undefined, error as Error);
      }
    });
  }

  async close(): Promise<void> {
    await this.#dispatcher.destroy();
  }
}

/** What the response body is being read for. */
type BodyMode = 'events' | 'error-text';

/** An abort that carries no failure of its own: the outcome was settled before it. */
class SettledAbort extends Error {
  override name = 'SettledAbort';
}

/**
 * One request's undici handler: turns the dispatch callbacks into one RequestRecord. The record
 * is settled once (stream done, failure, timeout or cancel); anything after that only drains or
 * cancels the connection. After `[DONE]` the rest of the response is read, not cut, so the
 * keep-alive connection serves the next request.
 */
class StreamExchange implements Dispatcher.DispatchHandler {
  readonly #measurement: Measurement;
  readonly #timeoutMs: number;
  readonly #facts: FactsSink;
  readonly #resolve: (record: RequestRecord) => void;
  readonly #signal: AbortSignal | undefined;
  readonly #timer: NodeJS.Timeout;
  #controller: Dispatcher.DispatchController | undefined;
  #afterHeaders = false;
  #mode: BodyMode = 'events';
  #errorClass: ErrorClass = 'protocol';
  #errorPrefix = '';
  #errorText = '';
  settled = false;

  constructor(
    measurement: Measurement,
    timeoutMs: number,
    facts: FactsSink,
    resolve: (record: RequestRecord) => void,
    signal: AbortSignal | undefined,
  ) {
    this.#measurement = measurement;
    this.#timeoutMs = timeoutMs;
    this.#facts = facts;
    this.#resolve = resolve;
    this.#signal = signal;
    this.#timer = setTimeout(this.#onTimeout, timeoutMs);
    if (signal?.aborted) this.#onCancel();
    else signal?.addEventListener('abort', this.#onCancel, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Timed out or cancelled while waiting for a connection: never write it.
    if (this.settled) {
      controller.abort(new SettledAbort());
      return;
    }
    this.#controller = controller;
    this.#measurement.start();
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (this.settled) return;
    this.#afterHeaders = true;
    this.#measurement.headers(statusCode);
    this.#facts.noteServer(headers.server);
    if (statusCode < 200 || statusCode >= 300) {
      this.#readErrorText(classifyStatus(statusCode), `HTTP ${statusCode}: `);
      return;
    }
    const contentType = String(headers['content-type'] ?? '');
    if (!contentType.includes('text/event-stream')) {
      this.#readErrorText(
        'protocol',
        `expected text/event-stream, got ${contentType || 'no content-type'}: `,
      );
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    if (this.#mode === 'error-text') {
      this.#errorText += String(chunk);
      if (this.#errorText.length > ERROR_TEXT_LIMIT) {
        this.#settle(this.#measurement.fail(this.#errorClass, this.#errorMessage()));
        controller.abort(new SettledAbort());
      }
      return;
    }
    const measurement = this.#measurement;
    measurement.feed(chunk, performance.now());
    if (measurement.failure) {
      this.#settle(measurement.finish());
      controller.abort(new SettledAbort());
    } else if (measurement.done) {
      this.#settle(measurement.finish());
    }
  }

  onResponseEnd(): void {
    if (this.settled) return;
    if (this.#mode === 'error-text') {
      this.#settle(this.#measurement.fail(this.#errorClass, this.#errorMessage()));
      return;
    }
    this.#measurement.ended();
    this.#settle(this.#measurement.finish());
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.settled) return;
    if (this.#mode === 'error-text' && this.#afterHeaders) {
      // The status already tells what went wrong; a broken error body adds nothing.
      this.#settle(this.#measurement.fail(this.#errorClass, this.#errorMessage()));
      return;
    }
    if (this.#measurement.failure) {
      this.#settle(this.#measurement.finish());
      return;
    }
    const errorClass = classifyTransportError(error, this.#afterHeaders, false);
    this.#settle(this.#measurement.fail(errorClass, describeTransportError(error)));
  }

  #readErrorText(errorClass: ErrorClass, prefix: string): void {
    this.#mode = 'error-text';
    this.#errorClass = errorClass;
    this.#errorPrefix = prefix;
  }

  #errorMessage(): string {
    return `${this.#errorPrefix}${oneLine(this.#errorText)}`;
  }

  readonly #onTimeout = (): void => {
    if (this.settled) return;
    if (this.#mode === 'error-text') {
      this.#settle(this.#measurement.fail(this.#errorClass, this.#errorMessage()));
    } else {
      const message = `no complete answer within ${this.#timeoutMs} ms`;
      this.#settle(this.#measurement.fail('timeout', message));
    }
    this.#controller?.abort(new SettledAbort());
  };

  readonly #onCancel = (): void => {
    if (this.settled) return;
    const reason = (this.#signal?.reason as Error | undefined) ?? new Error('aborted');
    const errorClass = classifyTransportError(reason, this.#afterHeaders, false);
    this.#settle(this.#measurement.fail(errorClass, describeTransportError(reason)));
    this.#controller?.abort(new SettledAbort());
  };

  #settle(record: RequestRecord): void {
    this.settled = true;
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onCancel);
    const fingerprint = this.#measurement.systemFingerprint;
    if (fingerprint) this.#facts.noteFingerprint(fingerprint);
    this.#resolve(record);
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > ERROR_TEXT_LIMIT ? `${flat.slice(0, ERROR_TEXT_LIMIT)}…` : flat;
}

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
class SseDataReader {
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

/** What one event does to a measurement: everything #onEvent reads from the parsed JSON. */
interface EventEffects {
  failure?: { errorClass: ErrorClass; message: string };
  systemFingerprint?: string;
  usageTokens?: number;
  promptTokens?: number;
  /** One entry per text-carrying choice: true when it carries output, false for reasoning only. */
  texts: boolean[];
  finishReason?: string;
}

function effectsOf(chunk: StreamChunk | null): EventEffects {
  if (chunk === null || typeof chunk !== 'object') {
    return {
      failure: { errorClass: 'protocol', message: 'event is not a JSON object' },
      texts: [],
    };
  }
  if (chunk.error !== undefined && chunk.error !== null) {
    const message = `error event: ${describeErrorEvent(chunk.error)}`;
    return { failure: { errorClass: 'midstream', message }, texts: [] };
  }
  const effects: EventEffects = { texts: [] };
  if (typeof chunk.system_fingerprint === 'string') {
    effects.systemFingerprint = chunk.system_fingerprint;
  }
  const usage = chunk.usage;
  if (usage && typeof usage.completion_tokens === 'number') {
    effects.usageTokens = usage.completion_tokens;
    if (typeof usage.prompt_tokens === 'number') effects.promptTokens = usage.prompt_tokens;
  }
  const choices = chunk.choices;
  if (!Array.isArray(choices)) return effects;
  for (const choice of choices as Array<StreamChoice | null>) {
    if (choice === null || typeof choice !== 'object') continue;
    const delta = choice.delta;
    const output = nonEmpty(delta?.content) ?? nonEmpty(choice.text);
    const reasoning = nonEmpty(delta?.reasoning_content) ?? nonEmpty(delta?.reasoning);
    if (output !== undefined || reasoning !== undefined) effects.texts.push(output !== undefined);
    if (typeof choice.finish_reason === 'string') effects.finishReason = choice.finish_reason;
  }
  return effects;
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
    a.texts.every((isOutput, at) => b.texts[at] === isOutput)
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
        return new TokenTemplate(prefix, suffix, effects, withoutText);
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
    if (!isStringBody(bytes, bodyStart, bodyEnd)) return undefined;
    return bodyEnd > bodyStart ? this.withText : this.withoutText;
  }
}

function parsedEffects(text: string): EventEffects | undefined {
  try {
    return effectsOf(JSON.parse(text) as StreamChunk | null);
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

/** Whether bytes [start, end) are the inside of a valid JSON string literal. */
function isStringBody(bytes: Buffer, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const byte = bytes[index]!;
    if (byte === QUOTE || byte < 0x20) return false;
    if (byte !== BACKSLASH) continue;
    index++;
    if (index >= end) return false;
    const escaped = bytes[index]!;
    if (escaped === 0x75) {
      // \uXXXX
      if (index + 4 >= end) return false;
      for (let digit = 1; digit <= 4; digit++) {
        if (!isHexDigit(bytes[index + digit]!)) return false;
      }
      index += 4;
    } else if (!SIMPLE_ESCAPES.has(escaped)) {
      return false;
    }
  }
  return true;
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

/** The per-request state machine: stamps, token events, usage and the outcome. */
class Measurement {
  readonly #record: RequestRecord;
  readonly #reader = new SseDataReader((bytes, start, end) => this.#onEvent(bytes, start, end));
  #arrivalMs = 0;
  #lastTextMs: number | undefined;
  #finishReason: string | undefined;
  #usageTokens: number | undefined;
  #promptTokens: number | undefined;
  #template: TokenTemplate | undefined;
  #templatesTried = 0;
  done = false;
  failure: { errorClass: ErrorClass; message: string } | undefined;
  systemFingerprint: string | undefined;

  constructor(planned: PlannedRequest, scheduleDelayMs: number) {
    this.#record = {
      index: planned.index,
      className: planned.className,
      ok: false,
      startMs: performance.now(),
      scheduleDelayMs,
      e2eMs: 0,
      itlMs: [],
      outputTokens: 0,
      outputTokensEstimated: false,
      textEvents: 0,
      maxTokens: planned.maxTokens,
    };
  }

  /**
   * The request is about to be written to its connection. Waiting for a free connection before
   * that (undici reuses a keep-alive socket only an event-loop turn after its last response) is
   * the client's own delay, not the endpoint's, so it stays out of TTFT.
   */
  start(): void {
    this.#record.startMs = performance.now();
  }

  headers(status: number): void {
    this.#record.status = status;
    this.#record.ttfbMs = performance.now() - this.#record.startMs;
  }

  feed(chunk: Buffer, arrivalMs: number): void {
    this.#arrivalMs = arrivalMs;
    if (!this.#reader.feed(chunk)) {
      this.#fail('protocol', `an event exceeded ${MAX_EVENT_BYTES} bytes`);
    }
  }

  /** The response ended (without [DONE], or the stream was otherwise cut short). */
  ended(): void {
    this.#record.e2eMs = performance.now() - this.#record.startMs;
  }

  #onEvent(bytes: Buffer, start: number, end: number): void {
    if (this.failure || this.done) return;
    if (end - start === DONE.length && bytes.compare(DONE, 0, DONE.length, start, end) === 0) {
      this.done = true;
      this.#record.e2eMs = this.#arrivalMs - this.#record.startMs;
      return;
    }
    const matched = this.#template?.match(bytes, start, end);
    if (matched) {
      this.#apply(matched);
      return;
    }
    const data = bytes.toString('utf8', start, end);
    let chunk: StreamChunk | null;
    try {
      chunk = JSON.parse(data) as StreamChunk | null;
    } catch {
      this.#fail('protocol', `unparsable event: ${oneLine(data).slice(0, 80)}`);
      return;
    }
    const effects = effectsOf(chunk);
    this.#apply(effects);
    if (effects.texts.length > 0 && this.#templatesTried < MAX_TEMPLATES_PER_STREAM) {
      this.#templatesTried++;
      this.#template = TokenTemplate.from(bytes, start, end, effects) ?? this.#template;
    }
  }

  #apply(effects: EventEffects): void {
    if (effects.failure) {
      this.#fail(effects.failure.errorClass, effects.failure.message);
      return;
    }
    if (effects.systemFingerprint !== undefined) this.systemFingerprint = effects.systemFingerprint;
    if (effects.usageTokens !== undefined) this.#usageTokens = effects.usageTokens;
    if (effects.promptTokens !== undefined) this.#promptTokens = effects.promptTokens;
    for (const isOutput of effects.texts) this.#onText(isOutput);
    if (effects.finishReason !== undefined) this.#finishReason = effects.finishReason;
  }

  #onText(isOutput: boolean): void {
    const record = this.#record;
    const arrivalMs = this.#arrivalMs;
    const sinceStart = arrivalMs - record.startMs;
    if (record.ttftMs === undefined) record.ttftMs = sinceStart;
    if (isOutput && record.ttfoMs === undefined) record.ttfoMs = sinceStart;
    if (this.#lastTextMs !== undefined) record.itlMs.push(arrivalMs - this.#lastTextMs);
    this.#lastTextMs = arrivalMs;
    record.textEvents++;
  }

  #fail(errorClass: ErrorClass, message: string): void {
    if (!this.failure) this.failure = { errorClass, message };
  }

  fail(errorClass: ErrorClass, message: string): RequestRecord {
    this.#fail(errorClass, message);
    return this.finish();
  }

  finish(): RequestRecord {
    const record = this.#record;
    if (record.e2eMs === 0) record.e2eMs = performance.now() - record.startMs;
    if (this.#finishReason) record.finishReason = this.#finishReason;
    if (this.systemFingerprint) record.systemFingerprint = this.systemFingerprint;
    if (this.#promptTokens !== undefined) record.inputTokens = this.#promptTokens;
    if (this.#usageTokens !== undefined) {
      record.outputTokens = this.#usageTokens;
    } else {
      record.outputTokens = record.textEvents;
      record.outputTokensEstimated = true;
    }
    if (!this.failure && record.textEvents === 0) {
      this.#fail('empty', 'the stream carried no generated text');
    }
    // A stream that stops without [DONE] and without a finish_reason was cut off.
    if (!this.failure && !this.done && this.#finishReason === undefined) {
      this.#fail('midstream', 'the stream ended before [DONE]');
    }
    if (this.failure) {
      record.ok = false;
      record.errorClass = this.failure.errorClass;
      record.errorMessage = this.failure.message;
    } else {
      record.ok = true;
    }
    return record;
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function describeErrorEvent(error: unknown): string {
  if (typeof error === 'string') return oneLine(error);
  if (error && typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return oneLine(message);
  }
  return oneLine(JSON.stringify(error));
}
