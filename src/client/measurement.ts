import { performance } from 'node:perf_hooks';
import type { PlannedRequest } from '../workload/types.js';
import type { EventEffects, EventFailure } from './openai-chunk.js';
import { MAX_EVENT_CHARS } from './sse-reader.js';
import { estimateTokensFromCharacters, type TokenCounter } from './token-count.js';
import type { RequestRecord } from './types.js';
import type { ErrorClass } from '../domain/request.js';

/** How far a request's answer got when it failed: what its failure message and hint say. */
export type AnswerStage = 'nothing' | 'headers' | 'text';

export function answerStage(record: Pick<RequestRecord, 'ttfbMs' | 'ttftMs'>): AnswerStage {
  if (record.ttftMs !== undefined) return 'text';
  return record.ttfbMs !== undefined ? 'headers' : 'nothing';
}

/**
 * One request's clock and outcome. Times are `performance.now()` (monotonic); the arrival of a
 * chunk is stamped by the caller when its bytes arrive, before any decoding or parsing, and
 * every event parsed from that chunk carries that stamp, so parsing cost cannot inflate TTFT or
 * ITL.
 *
 * - TTFB: request written → response headers.
 * - TTFT: request written → first event carrying generated text (output or reasoning).
 * - TTFO: request written → first event carrying output (non-reasoning) text.
 * - ITL: gaps between successive text-carrying events.
 * - e2e: request written → `[DONE]` (or the end of the response when it never came).
 */
export class Measurement {
  readonly #record: RequestRecord;
  readonly #tokenizer: TokenCounter | undefined;
  #arrivalMs = 0;
  #lastTextMs: number | undefined;
  #finishReason: string | undefined;
  #usageTokens: number | undefined;
  #promptTokens: number | undefined;
  #textChars = 0;
  /** The generated text, kept only when a tokenizer will count it: reasoning, then output. */
  readonly #text: [reasoning: string[], output: string[]] = [[], []];
  done = false;
  failure: EventFailure | undefined;
  systemFingerprint: string | undefined;

  constructor(planned: PlannedRequest, scheduleDelayMs: number, tokenizer?: TokenCounter) {
    this.#tokenizer = tokenizer;
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
      tokenCounting: 'usage',
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

  /** A chunk's bytes arrived at `arrivalMs`: the events read from it arrived then. */
  arrived(arrivalMs: number): void {
    this.#arrivalMs = arrivalMs;
  }

  /** One event read from the last chunk that arrived. */
  event(effects: EventEffects | 'done'): void {
    if (this.failure || this.done) return;
    if (effects === 'done') {
      this.done = true;
      this.#record.e2eMs = this.#arrivalMs - this.#record.startMs;
      return;
    }
    if (effects.failure) {
      this.#fail(effects.failure.errorClass, effects.failure.message);
      return;
    }
    if (effects.systemFingerprint !== undefined) this.systemFingerprint = effects.systemFingerprint;
    if (effects.usageTokens !== undefined) this.#usageTokens = effects.usageTokens;
    if (effects.promptTokens !== undefined) this.#promptTokens = effects.promptTokens;
    for (const piece of effects.texts) this.#onText(piece.output, piece.text);
    if (effects.finishReason !== undefined) this.#finishReason = effects.finishReason;
  }

  /** The event being read grew past the reader's limit. */
  oversized(): void {
    this.#fail('protocol', `an event exceeded ${MAX_EVENT_CHARS} characters`);
  }

  /** The response ended (without [DONE], or the stream was otherwise cut short). */
  ended(): void {
    this.#record.e2eMs = performance.now() - this.#record.startMs;
  }

  #onText(isOutput: boolean, text: string): void {
    const record = this.#record;
    const arrivalMs = this.#arrivalMs;
    const sinceStart = arrivalMs - record.startMs;
    if (record.ttftMs === undefined) record.ttftMs = sinceStart;
    if (isOutput && record.ttfoMs === undefined) record.ttfoMs = sinceStart;
    if (this.#lastTextMs !== undefined) record.itlMs.push(arrivalMs - this.#lastTextMs);
    this.#lastTextMs = arrivalMs;
    record.textEvents++;
    this.#textChars += text.length;
    if (this.#tokenizer) this.#text[isOutput ? 1 : 0].push(text);
  }

  #fail(errorClass: ErrorClass, message: string): void {
    if (!this.failure) this.failure = { errorClass, message };
  }

  /**
   * The request's timeout fired: where it stood says where to look (no headers, headers but no
   * text, or a stream that stalled part-way).
   */
  timedOut(timeoutMs: number): RequestRecord {
    const record = this.#record;
    const within = `within the ${timeoutMs} ms timeout`;
    const quietMs = Math.round(performance.now() - (this.#lastTextMs ?? record.startMs));
    const messages: Record<AnswerStage, string> = {
      nothing: `no response headers ${within}`,
      headers: `response headers after ${Math.round(record.ttfbMs ?? 0)} ms, then no generated text ${within}`,
      text: `the stream stalled after ${record.textEvents} text events: none for the last ${quietMs} ms and no end ${within}`,
    };
    return this.fail('timeout', messages[answerStage(record)]);
  }

  /** The connection failed (`description` says how): after what, when the answer had begun. */
  transportFailed(errorClass: ErrorClass, description: string): RequestRecord {
    const record = this.#record;
    const after: Record<AnswerStage, string> = {
      nothing: '',
      headers: ' after the response headers',
      text: ` after ${record.textEvents} text events`,
    };
    return this.fail(errorClass, `${description}${after[answerStage(record)]}`);
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
    this.#countOutputTokens(record);
    if (!this.failure && record.textEvents === 0) {
      // As vLLM's benchmark: no text, no TTFT, so the request failed. The finish reason tells a
      // model that stopped at once (`stop`: a chat template or stop string to check) from a cut.
      const finished = this.#finishReason ? ` (finish_reason ${this.#finishReason})` : '';
      this.#fail('empty', `the stream carried no generated text${finished}`);
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

  /**
   * The server's usage when it sent one; else the generated text, counted by the tokenizer when
   * there is one or estimated from its length. Never the events: a server may put many tokens in
   * one event (or hold back a split UTF-8 character and send fewer events than tokens).
   */
  #countOutputTokens(record: RequestRecord): void {
    if (this.#usageTokens !== undefined) {
      record.outputTokens = this.#usageTokens;
      record.tokenCounting = 'usage';
    } else if (this.#tokenizer) {
      // Reasoning and output are two texts: joined, their edges would merge into one word.
      const tokenizer = this.#tokenizer;
      record.outputTokens = this.#text.reduce(
        (sum, text) => sum + tokenizer.count(text.join('')),
        0,
      );
      record.tokenCounting = 'tokenizer';
    } else {
      record.outputTokens = estimateTokensFromCharacters(this.#textChars);
      record.tokenCounting = 'characters';
    }
    record.outputTokensEstimated = record.tokenCounting === 'characters';
  }
}
