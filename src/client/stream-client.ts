import { performance } from 'node:perf_hooks';
import { Agent, type Dispatcher } from 'undici';
import type { ApiKind } from '../domain/config.js';
import type { PlannedRequest } from '../workload/types.js';
import {
  classifyStatus,
  classifyTransportError,
  describeTransportError,
  isRequestTimeout,
} from './classify.js';
import { completionsRoute } from './endpoint-probe.js';
import { ConnectionReuse } from './connection-reuse.js';
import { Measurement } from './measurement.js';
import { ERROR_TEXT_LIMIT, interpretEvent, oneLine, type EventEffects } from './openai-chunk.js';
import { SseReader } from './sse-reader.js';
import type { TokenCounter } from './token-count.js';
import type { RequestRecord, ResponseFacts } from './types.js';
import type { ErrorClass } from '../domain/request.js';

export interface StreamClientOptions {
  endpoint: string;
  api: ApiKind;
  model: string;
  apiKey?: string;
  headers: Record<string, string>;
  /** Sizes the connection pool: one connection per request in flight. */
  connections: number;
  timeoutMs: number;
  /** Counts output tokens exactly when the server sends no usage (loadTokenCounter). */
  tokenizer?: TokenCounter;
  /** How response bytes become events (a seam for the client bench; the default reads SSE). */
  events?: EventDecoderFactory;
}

/** Where a decoder hands the events it reads from a response body. */
export interface EventSink {
  event(effects: EventEffects | 'done'): void;
  oversized(): void;
}

export interface EventDecoder {
  feed(chunk: Buffer): void;
}

export type EventDecoderFactory = (sink: EventSink) => EventDecoder;

/** SSE events, each one's data parsed as an OpenAI stream chunk. */
export const sseJsonEvents: EventDecoderFactory = (sink) =>
  new SseReader({
    onData: (data) => sink.event(interpretEvent(data)),
    onOversized: () => sink.oversized(),
  });

/** Where a request's exchange reports what it learnt about the endpoint and its connections. */
interface ExchangeContext {
  readonly timeoutMs: number;
  readonly connections: ConnectionReuse;
  noteServer(server: string | string[] | undefined): void;
  noteFingerprint(fingerprint: string): void;
  /** Sends the request again on a fresh connection. */
  retry(exchange: StreamExchange): void;
}

/**
 * Streams one request and measures it. Built on undici's dispatch API rather than a body stream:
 * each chunk reaches the handler straight from the HTTP parser, with no Readable and no promise
 * per chunk, so the client stays cheap at thousands of concurrent streams.
 */
export class StreamClient {
  /** Keep-alive connections, one per request in flight. */
  readonly #pooled: Agent;
  /** A new connection for every request: retries, and every request once reuse has stopped. */
  readonly #fresh: Agent;
  readonly #connections = new ConnectionReuse();
  readonly #origin: string;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #options: StreamClientOptions;
  readonly #tokenizer: TokenCounter | undefined;
  readonly #events: EventDecoderFactory;
  #facts: ResponseFacts = {};
  readonly #context: ExchangeContext;

  constructor(options: StreamClientOptions) {
    this.#options = options;
    const route = completionsRoute(options.endpoint, options.api);
    this.#origin = route.origin;
    this.#path = route.path;
    const common = {
      connections: options.connections,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: this.#connections.connector,
    };
    this.#pooled = new Agent({ ...common, pipelining: 1, keepAliveTimeout: 30_000 });
    // pipelining 0: undici keeps no connection alive, so each request opens its own.
    this.#fresh = new Agent({ ...common, pipelining: 0 });
    this.#headers = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'user-agent': 'llm-perf-gate',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      ...options.headers,
    };
    this.#tokenizer = options.tokenizer;
    this.#events = options.events ?? sseJsonEvents;
    this.#context = {
      timeoutMs: options.timeoutMs,
      connections: this.#connections,
      noteServer: (server) => {
        if (this.#facts.server || server === undefined) return;
        const value = Array.isArray(server) ? server.join(', ') : server;
        this.#facts = { ...this.#facts, server: value };
      },
      noteFingerprint: (fingerprint) => {
        if (this.#facts.systemFingerprint) return;
        this.#facts = { ...this.#facts, systemFingerprint: fingerprint };
      },
      retry: (exchange) => this.#dispatch(this.#fresh, exchange),
    };
  }

  /** `server` header and `system_fingerprint` from the first responses that carried them. */
  get facts(): ResponseFacts {
    return { ...this.#facts, connections: this.#connections.facts };
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
        body,
        new Measurement(planned, context.scheduleDelayMs, this.#tokenizer),
        this.#events,
        this.#context,
        resolve,
        context.signal,
      );
      if (exchange.settled) return;
      this.#dispatch(this.#connections.reusing ? this.#pooled : this.#fresh, exchange);
    });
  }

  #dispatch(dispatcher: Agent, exchange: StreamExchange): void {
    try {
      dispatcher.dispatch(
        {
          origin: this.#origin,
          path: this.#path,
          method: 'POST',
          headers: this.#headers,
          body: exchange.body,
        },
        exchange,
      );
    } catch (error) {
      exchange.onResponseError(undefined, error as Error);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#pooled.destroy(), this.#fresh.destroy()]);
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
  readonly body: string;
  readonly #measurement: Measurement;
  readonly #decoder: EventDecoder;
  readonly #context: ExchangeContext;
  readonly #resolve: (record: RequestRecord) => void;
  readonly #signal: AbortSignal | undefined;
  readonly #timer: NodeJS.Timeout;
  #controller: Dispatcher.DispatchController | undefined;
  #afterHeaders = false;
  #retried = false;
  #mode: BodyMode = 'events';
  #errorClass: ErrorClass = 'protocol';
  #errorPrefix = '';
  #errorText = '';
  settled = false;

  constructor(
    body: string,
    measurement: Measurement,
    events: EventDecoderFactory,
    context: ExchangeContext,
    resolve: (record: RequestRecord) => void,
    signal: AbortSignal | undefined,
  ) {
    this.body = body;
    this.#measurement = measurement;
    this.#decoder = events(measurement);
    this.#context = context;
    this.#resolve = resolve;
    this.#signal = signal;
    this.#timer = setTimeout(this.#onTimeout, context.timeoutMs);
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
    this.#context.noteServer(headers.server);
    this.#context.connections.noteResponse(headers);
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
    // Stamped before anything reads the bytes: parsing cost stays out of TTFT and ITL.
    measurement.arrived(performance.now());
    this.#decoder.feed(chunk);
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
    if (!this.#afterHeaders && !this.#retried && this.#context.connections.isStale(error)) {
      this.#retried = true;
      this.#controller = undefined;
      this.#context.connections.noteReconnect();
      this.#context.retry(this);
      return;
    }
    if (isRequestTimeout(error)) {
      this.#settle(this.#measurement.timedOut(this.#context.timeoutMs));
      return;
    }
    const errorClass = classifyTransportError(error, this.#afterHeaders);
    this.#settle(this.#measurement.transportFailed(errorClass, describeTransportError(error)));
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
      this.#settle(this.#measurement.timedOut(this.#context.timeoutMs));
    }
    this.#controller?.abort(new SettledAbort());
  };

  readonly #onCancel = (): void => {
    if (this.settled) return;
    const reason = (this.#signal?.reason as Error | undefined) ?? new Error('aborted');
    const errorClass = classifyTransportError(reason, this.#afterHeaders);
    this.#settle(this.#measurement.fail(errorClass, describeTransportError(reason)));
    this.#controller?.abort(new SettledAbort());
  };

  #settle(record: RequestRecord): void {
    this.settled = true;
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onCancel);
    const fingerprint = this.#measurement.systemFingerprint;
    if (fingerprint) this.#context.noteFingerprint(fingerprint);
    this.#resolve(record);
  }
}
