import type { FlavorName } from './flavors.js';

/** Each a probability 0..1 per request, drawn with the seeded RNG; at most one fault per request. */
export interface SimulatorFaults {
  http429?: number;
  http500?: number;
  http502?: number;
  http503?: number;
  /** Accept the request, never send headers (until the client gives up or the server closes). */
  stallHeaders?: number;
  /** Send some tokens, then go silent. */
  stallMidstream?: number;
  /** Send some tokens, then destroy the socket. */
  breakMidstream?: number;
  /** One `data: {not json` event mid-stream. */
  malformedEvent?: number;
  /** HTTP 200 stream carrying an OpenAI-style error event after a few tokens. */
  errorEvent?: number;
  /** 200 text/html body instead of SSE. */
  htmlAnswer?: number;
  /** 200 application/json non-stream body instead of SSE. */
  jsonAnswer?: number;
  /** SSE with only `data: [DONE]`. */
  emptyStream?: number;
  /** One single event with ~1 MB of content. */
  hugeEvent?: number;
  /** Trickle the bytes of the first token event very slowly (one byte every ~200 ms). */
  slowLoris?: number;
}

export type FaultKind = keyof SimulatorFaults;

export interface SimulatorOptions {
  /** Default '127.0.0.1': never anything else unless asked. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 'sim-llama-8b'; GET /v1/models lists it. */
  model?: string;
  /**
   * Default false: a request naming another model gets vLLM's 404. True answers any name with
   * `model`, as proxies and routers do for aliases they do not list.
   */
  anyModel?: boolean;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  /** Default 1. */
  seed?: number;
  /** Default 0.05 ms per input token. */
  prefillMsPerToken?: number;
  /** Default 10 ms fixed overhead per prefill pass. */
  prefillBaseMs?: number;
  /** Default 4 ms per decode step with one sequence in the batch. */
  decodeStepMs?: number;
  /** Default 0.05 ms added per extra running sequence (step time grows with the batch). */
  decodeStepMsPerSequence?: number;
  /** Default 64 running sequences; further requests wait in a FIFO queue. */
  maxBatch?: number;
  /** Log-normal sigma applied to each prefill pass and each decode step; default 0.1, 0 = none. */
  jitter?: number;
  /** Multiplies prefill time (simulates a TTFT regression); default 1. */
  ttftScale?: number;
  /** Multiplies decode step time; default 1. */
  itlScale?: number;
  /**
   * Default 0 (off). Volatility, in log units per √second, of a slowdown shared by the whole
   * engine: every prefill pass and decode step is multiplied by exp(x(t)), x a mean-reverting
   * log random walk (src/simulator/slowdown.ts). 0.05 ≈ "5% per second".
   */
  slowdownSigma?: number;
  /** Mean-reversion time of the slowdown in seconds; default 10. */
  slowdownReversionSeconds?: number;
  /**
   * Seed of the slowdown path; default `seed`. Two simulators with the same slowdown seed and
   * start see the same slowdown at the same wall-clock time.
   */
  slowdownSeed?: number;
  /** Epoch ms at which the slowdown path starts; default when the server was created. */
  slowdownStartEpochMs?: number;
  /**
   * 'random' (default): length uniform in [max_tokens/2, max_tokens] unless ignore_eos or
   * min_tokens asks for more; 'max': always max_tokens.
   */
  outputTokens?: 'random' | 'max';
  /** Default true; false simulates a server that ignores ignore_eos/min_tokens. */
  honorIgnoreEos?: boolean;
  /** Default true: final usage chunk when stream_options.include_usage is set. */
  sendUsage?: boolean;
  /** Default 0: the first this-many output tokens are `delta.reasoning_content` (chat only). */
  reasoningTokens?: number;
  /** Default true: vLLM-style chunk with delta {role:'assistant', content:''} after prefill. */
  roleChunkFirst?: boolean;
  /** Default false: llama.cpp style, a first chunk with delta.content null sent at once. */
  nullContentFirstChunk?: boolean;
  faults?: SimulatorFaults;
  /** How long stalls last before the server closes the socket; default 30000. */
  stallMs?: number;
  /** Retry-After header on 429; default 1. */
  retryAfterSeconds?: number;
  /** `server` response header; default 'llm-perf-gate-simulator'. */
  serverHeader?: string;
  /** Default 'fp_sim_1'. */
  systemFingerprint?: string;
  /**
   * Default 0. For this long after start the server is loading, like SGLang or vLLM warming up:
   * GET /health answers 503 and completions 503, while GET /v1/models already answers.
   */
  readyAfterMs?: number;
  /**
   * Stream chat completions in the shape of a real server (src/simulator/flavors.ts), with its
   * typical engine timing unless timing options are given.
   */
  flavor?: FlavorName;
  /** Delay before a request reaches the engine, as a slow proxy adds (headers included); default 0. */
  proxyDelayMs?: number;
  /**
   * KV-cache capacity in tokens (prompts plus generated tokens of running sequences); default
   * 1,000,000. /metrics reports its use; overflowing it preempts the newest sequence.
   */
  kvCacheTokens?: number;
  /**
   * Default 0. Busy-waits this long on every request it counts (not /metrics, not its stats),
   * holding the event loop of the process it runs in: a client sharing that process (in tests)
   * is then the bottleneck of its own run, on an idle machine as on a busy one.
   */
  blockEventLoopMsPerRequest?: number;
}

/** One per finished request (any path, any outcome), in server-side performance.now() ms. */
export interface SimulatorRequestLog {
  receivedAtMs: number;
  /** When the first text-carrying event was written (streams only). */
  firstTokenAtMs?: number;
  /** When the response was fully written; absent when the connection was cut first. */
  endAtMs?: number;
  /** Output tokens generated for this request so far (what usage would say). */
  outputTokens: number;
  inputTokens: number;
  fault?: FaultKind;
  /** 0 when no headers were ever sent. */
  status: number;
  path: string;
}

export interface SimulatorStats {
  requestsReceived: number;
  /** Requests whose connection or response has ended, whatever the outcome. */
  completed: number;
  /** Sequences admitted to the batch (prefilling or decoding). */
  running: number;
  /** Sequences waiting for a batch slot. */
  queued: number;
  /** The most recent entries, oldest first (bounded). */
  log: SimulatorRequestLog[];
}

export interface Simulator {
  /** Base URL including /v1, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  port: number;
  stats(): SimulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}
