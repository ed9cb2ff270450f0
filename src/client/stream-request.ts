import { performance } from 'node:perf_hooks';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
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
  delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown };
  text?: unknown;
  finish_reason?: unknown;
}

interface StreamChunk {
  choices?: StreamChoice[];
  usage?: { completion_tokens?: unknown; prompt_tokens?: unknown } | null;
  system_fingerprint?: unknown;
  error?: unknown;
}

/**
 * Streams one request and measures it. Arrival is stamped when a chunk's bytes arrive, before
 * any decoding or parsing, so parsing cost cannot inflate TTFT or ITL.
 */
export class StreamClient {
  readonly #dispatcher: Agent;
  readonly #origin: string;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #options: StreamClientOptions;
  #facts: ResponseFacts = {};

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
    const { 'content-type': _contentType, accept: _accept, ...headers } = this.#headers;
    return probeModels(this.#dispatcher, this.#options.endpoint, headers);
  }

  async send(
    planned: PlannedRequest,
    context: { scheduleDelayMs: number; signal?: AbortSignal },
  ): Promise<RequestRecord> {
    const body = JSON.stringify({
      model: this.#options.model,
      ...planned.body,
      stream: true,
      stream_options: { include_usage: true },
    });
    const measurement = new Measurement(planned, context.scheduleDelayMs);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#options.timeoutMs);
    const onOuterAbort = () => controller.abort();
    context.signal?.addEventListener('abort', onOuterAbort, { once: true });

    let afterHeaders = false;
    try {
      measurement.start();
      const response = await this.#dispatcher.request({
        origin: this.#origin,
        path: this.#path,
        method: 'POST',
        headers: this.#headers,
        body,
        signal: controller.signal,
      });
      afterHeaders = true;
      measurement.headers(response.statusCode);
      this.#noteServer(response.headers.server);
      if (response.statusCode < 200 || response.statusCode >= 300) {
        const text = await readSomeText(response.body);
        return measurement.fail(
          classifyStatus(response.statusCode),
          `HTTP ${response.statusCode}: ${text}`,
        );
      }
      const contentType = String(response.headers['content-type'] ?? '');
      if (!contentType.includes('text/event-stream')) {
        const text = await readSomeText(response.body);
        return measurement.fail(
          'protocol',
          `expected text/event-stream, got ${contentType || 'no content-type'}: ${text}`,
        );
      }
      await measurement.consume(response.body);
      const fingerprint = measurement.systemFingerprint;
      if (fingerprint && !this.#facts.systemFingerprint) {
        this.#facts = { ...this.#facts, systemFingerprint: fingerprint };
      }
      return measurement.finish();
    } catch (error) {
      if (measurement.failure) return measurement.finish();
      const errorClass = classifyTransportError(error, afterHeaders, timedOut);
      const reason = timedOut
        ? `no complete answer within ${this.#options.timeoutMs} ms`
        : describeTransportError(error);
      return measurement.fail(errorClass, reason);
    } finally {
      clearTimeout(timer);
      context.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  async close(): Promise<void> {
    await this.#dispatcher.destroy();
  }

  #noteServer(server: string | string[] | undefined): void {
    if (this.#facts.server || server === undefined) return;
    this.#facts = { ...this.#facts, server: Array.isArray(server) ? server.join(', ') : server };
  }
}

async function readSomeText(body: Dispatcher.ResponseData['body']): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body) {
      text += String(chunk);
      if (text.length > ERROR_TEXT_LIMIT) break;
    }
  } catch {
    // The status already tells what went wrong; a broken error body adds nothing.
  }
  body.destroy();
  return oneLine(text);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > ERROR_TEXT_LIMIT ? `${flat.slice(0, ERROR_TEXT_LIMIT)}…` : flat;
}

/** The per-request state machine: stamps, token events, usage and the outcome. */
class Measurement {
  readonly #record: RequestRecord;
  #lastTextMs: number | undefined;
  #done = false;
  #finishReason: string | undefined;
  #usageTokens: number | undefined;
  #promptTokens: number | undefined;
  failure: { errorClass: ErrorClass; message: string } | undefined;
  systemFingerprint: string | undefined;

  constructor(planned: PlannedRequest, scheduleDelayMs: number) {
    this.#record = {
      index: planned.index,
      className: planned.className,
      ok: false,
      startMs: 0,
      scheduleDelayMs,
      e2eMs: 0,
      itlMs: [],
      outputTokens: 0,
      outputTokensEstimated: false,
      textEvents: 0,
      maxTokens: planned.maxTokens,
    };
  }

  start(): void {
    this.#record.startMs = performance.now();
  }

  headers(status: number): void {
    this.#record.status = status;
    this.#record.ttfbMs = performance.now() - this.#record.startMs;
  }

  consume(body: Dispatcher.ResponseData['body']): Promise<void> {
    const decoder = new TextDecoder();
    let arrivalMs = 0;
    const parser = createParser({
      maxBufferSize: MAX_EVENT_BYTES,
      onEvent: (event) => this.#onEvent(event, arrivalMs),
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') {
          this.#fail('protocol', `an event exceeded ${MAX_EVENT_BYTES} bytes`);
        }
      },
    });
    return new Promise<void>((resolve, reject) => {
      const stop = () => {
        body.off('data', onData);
        body.destroy();
        resolve();
      };
      const onData = (chunk: Buffer) => {
        arrivalMs = performance.now();
        parser.feed(decoder.decode(chunk, { stream: true }));
        if (this.failure || this.#done) stop();
      };
      body.on('data', onData);
      body.once('end', () => {
        this.#record.e2eMs = performance.now() - this.#record.startMs;
        resolve();
      });
      body.once('error', reject);
    });
  }

  #onEvent(event: EventSourceMessage, arrivalMs: number): void {
    if (this.failure || this.#done) return;
    const data = event.data;
    if (data === '[DONE]') {
      this.#done = true;
      this.#record.e2eMs = arrivalMs - this.#record.startMs;
      return;
    }
    let chunk: StreamChunk;
    try {
      chunk = JSON.parse(data) as StreamChunk;
    } catch {
      this.#fail('protocol', `unparsable event: ${oneLine(data).slice(0, 80)}`);
      return;
    }
    if (chunk === null || typeof chunk !== 'object') {
      this.#fail('protocol', 'event is not a JSON object');
      return;
    }
    if (chunk.error !== undefined && chunk.error !== null) {
      this.#fail('midstream', `error event: ${describeErrorEvent(chunk.error)}`);
      return;
    }
    if (typeof chunk.system_fingerprint === 'string')
      this.systemFingerprint = chunk.system_fingerprint;
    const usage = chunk.usage;
    if (usage && typeof usage.completion_tokens === 'number') {
      this.#usageTokens = usage.completion_tokens;
      if (typeof usage.prompt_tokens === 'number') this.#promptTokens = usage.prompt_tokens;
    }
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta;
      const output = nonEmpty(delta?.content) ?? nonEmpty(choice.text);
      const reasoning = nonEmpty(delta?.reasoning_content) ?? nonEmpty(delta?.reasoning);
      if (output !== undefined || reasoning !== undefined)
        this.#onText(arrivalMs, output !== undefined);
      if (typeof choice.finish_reason === 'string') this.#finishReason = choice.finish_reason;
    }
  }

  #onText(arrivalMs: number, isOutput: boolean): void {
    const record = this.#record;
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
    if (!this.failure && !this.#done && this.#finishReason === undefined) {
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
