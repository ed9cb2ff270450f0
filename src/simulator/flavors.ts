import type { ResponseIdentity } from './chunks.js';

/**
 * The stream shapes of real servers, so that a client (ours, or a gateway under test) meets what
 * vLLM, SGLang, TGI, llama.cpp, Ollama, OpenAI, Azure OpenAI and LM Studio really send. Each
 * shape was written from the server's source or documentation; test/fixtures/streams holds one
 * transcript per flavor and a test checks that the simulator's stream has the same shape.
 */
export const FLAVOR_NAMES = [
  'vllm',
  'sglang',
  'tgi',
  'llama-cpp',
  'ollama',
  'openai',
  'azure-openai',
  'lm-studio',
  'reasoning',
  'reasoning-content',
  'usage-only-final',
  'no-done',
  'crlf',
] as const;

export type FlavorName = (typeof FLAVOR_NAMES)[number];

/** Engine timing typical of the server; explicit simulator options win over it. */
export interface FlavorTiming {
  prefillBaseMs: number;
  prefillMsPerToken: number;
  decodeStepMs: number;
  decodeStepMsPerSequence: number;
}

type Json = Record<string, unknown>;

export interface StreamFlavor {
  timing: FlavorTiming;
  lineEnd: '\n' | '\r\n';
  /** Top-level fields in the server's order; `choices` (and `usage`) are filled in per chunk. */
  envelope(identity: ResponseIdentity): Json;
  /** Fields every choice carries besides index/delta/finish_reason (logprobs, filters…). */
  choice(delta: Json, finishReason: string | null): Json;
  /** Wraps a delta's own fields: SGLang writes every field, null when unused. */
  delta(fields: Json): Json;
  /** Azure: a chunk with empty choices and the prompt filter's verdict, sent with the headers. */
  promptFilterChunk?: Json;
  /** A role-only chunk: after prefill (vLLM, SGLang, OpenAI) or with the first token (llama.cpp). */
  roleChunk?: { delta: Json; sentWith: 'prefill' | 'first-token' };
  /** TGI, Ollama and LM Studio put the role into every delta instead. */
  roleInEveryDelta: boolean;
  /** Leading reasoning tokens and the delta field that carries them. */
  reasoning?: { field: 'reasoning' | 'reasoning_content'; tokens: number };
  /**
   * Every this-many tokens, one ends inside a UTF-8 character: llama.cpp holds it back and sends
   * it with the next, so text events are fewer than tokens.
   */
  heldBackEvery?: number;
  /** `last-token`: finish_reason rides on the last token's chunk; otherwise a chunk of its own. */
  finish: 'last-token' | { delta: Json };
  /**
   * `chunk`: with include_usage, a chunk with choices []; `in-finish`: usage on the finishing
   * chunk, asked for or not; `bare`: an event that is only `{"usage": …}`; `none`: never.
   */
  usage: 'chunk' | 'in-finish' | 'bare' | 'none';
  /** Fields added to the usage object. */
  usageExtras?: Json;
  /** Fields added to the very last chunk (llama.cpp's timings). */
  lastChunkExtras?(outputTokens: number, inputTokens: number): Json;
  /** A comment line before the first event (sse-starlette's ping). */
  comment?: string;
  /** Ends the stream with `data: [DONE]`. */
  done: boolean;
  /** Closes the connection after each response while advertising keep-alive (llama.cpp). */
  closeAfterResponse: boolean;
}

/** A GPU server with continuous batching. */
const GPU: FlavorTiming = {
  prefillBaseMs: 15,
  prefillMsPerToken: 0.05,
  decodeStepMs: 10,
  decodeStepMsPerSequence: 0.1,
};
/** A small model on CPU: slow prefill per token, slow steps, little batching. */
const CPU: FlavorTiming = {
  prefillBaseMs: 20,
  prefillMsPerToken: 1.8,
  decodeStepMs: 30,
  decodeStepMsPerSequence: 8,
};
/** A hosted API: queueing and network before the first token, fast steps. */
const HOSTED: FlavorTiming = {
  prefillBaseMs: 250,
  prefillMsPerToken: 0.02,
  decodeStepMs: 12,
  decodeStepMsPerSequence: 0,
};

const plain = (fields: Json): Json => fields;
const withLogprobs = (delta: Json, finishReason: string | null): Json => ({
  index: 0,
  delta,
  logprobs: null,
  finish_reason: finishReason,
});
const bare = (delta: Json, finishReason: string | null): Json => ({
  index: 0,
  delta,
  finish_reason: finishReason,
});
const standard = (identity: ResponseIdentity): Json => ({
  id: identity.id,
  object: 'chat.completion.chunk',
  created: identity.created,
  model: identity.model,
  choices: [],
});

const CONTENT_FILTER = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

const BASE = {
  lineEnd: '\n',
  delta: plain,
  roleInEveryDelta: false,
  done: true,
  closeAfterResponse: false,
} as const;

const VLLM: StreamFlavor = {
  ...BASE,
  timing: GPU,
  envelope: standard,
  // vLLM writes stop_reason only where finish_reason is set (fields left unset are not written).
  choice: (delta, finishReason) => ({
    ...withLogprobs(delta, finishReason),
    ...(finishReason ? { stop_reason: null } : {}),
  }),
  roleChunk: { delta: { role: 'assistant', content: '' }, sentWith: 'prefill' },
  finish: 'last-token',
  usage: 'chunk',
};

const SGLANG: StreamFlavor = {
  ...BASE,
  timing: GPU,
  envelope: (identity) => ({ ...standard(identity), usage: null }),
  choice: (delta, finishReason) => ({
    ...withLogprobs(delta, finishReason),
    matched_stop: finishReason === 'stop' ? 128009 : null,
  }),
  delta: (fields) => ({
    role: null,
    content: null,
    reasoning_content: null,
    tool_calls: null,
    ...fields,
  }),
  roleChunk: { delta: { role: 'assistant', content: '' }, sentWith: 'prefill' },
  finish: { delta: {} },
  usage: 'chunk',
  usageExtras: { prompt_tokens_details: null, reasoning_tokens: 0 },
};

export const FLAVORS: Record<FlavorName, StreamFlavor> = {
  vllm: VLLM,
  sglang: SGLANG,
  tgi: {
    ...BASE,
    timing: GPU,
    envelope: (identity) => ({
      object: 'chat.completion.chunk',
      id: '',
      created: identity.created,
      model: identity.model,
      system_fingerprint: '3.3.4-sha-9f38d93',
      choices: [],
      usage: null,
    }),
    choice: withLogprobs,
    delta: (fields) => ({ ...fields, tool_call_id: null }),
    roleInEveryDelta: true,
    finish: 'last-token',
    usage: 'chunk',
  },
  'llama-cpp': {
    ...BASE,
    timing: CPU,
    envelope: (identity) => ({
      choices: [],
      created: identity.created,
      id: identity.id,
      model: identity.model,
      system_fingerprint: 'b6940-2b6c3ff0',
      object: 'chat.completion.chunk',
    }),
    choice: (delta, finishReason) => ({ finish_reason: finishReason, index: 0, delta }),
    roleChunk: { delta: { role: 'assistant', content: null }, sentWith: 'first-token' },
    heldBackEvery: 4,
    finish: { delta: {} },
    usage: 'chunk',
    lastChunkExtras: (outputTokens, inputTokens) => ({
      timings: {
        cache_n: 0,
        prompt_n: inputTokens,
        prompt_ms: inputTokens * CPU.prefillMsPerToken,
        predicted_n: outputTokens,
        predicted_ms: outputTokens * CPU.decodeStepMs,
      },
    }),
    closeAfterResponse: true,
  },
  ollama: {
    ...BASE,
    timing: CPU,
    envelope: (identity) => ({
      ...standard(identity),
      system_fingerprint: 'fp_ollama',
      choices: [],
    }),
    choice: bare,
    roleInEveryDelta: true,
    finish: { delta: { role: 'assistant', content: '' } },
    usage: 'chunk',
  },
  openai: {
    ...BASE,
    timing: HOSTED,
    envelope: (identity) => ({
      ...standard(identity),
      service_tier: 'default',
      system_fingerprint: identity.systemFingerprint,
      choices: [],
      usage: null,
      obfuscation: 'q3Rk',
    }),
    choice: withLogprobs,
    roleChunk: { delta: { role: 'assistant', content: '', refusal: null }, sentWith: 'prefill' },
    finish: { delta: {} },
    usage: 'chunk',
    usageExtras: {
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  },
  'azure-openai': {
    ...BASE,
    timing: HOSTED,
    envelope: (identity) => ({
      choices: [],
      created: identity.created,
      id: identity.id,
      model: identity.model,
      object: 'chat.completion.chunk',
      system_fingerprint: identity.systemFingerprint,
      usage: null,
    }),
    choice: (delta, finishReason) => {
      const filtered = typeof delta.content === 'string' && delta.content !== '';
      return {
        content_filter_results: filtered ? CONTENT_FILTER : {},
        delta,
        finish_reason: finishReason,
        index: 0,
        logprobs: null,
      };
    },
    promptFilterChunk: {
      choices: [],
      created: 0,
      id: '',
      model: '',
      object: '',
      prompt_filter_results: [
        {
          prompt_index: 0,
          content_filter_results: {
            ...CONTENT_FILTER,
            jailbreak: { filtered: false, detected: false },
          },
        },
      ],
    },
    roleChunk: { delta: { content: '', refusal: null, role: 'assistant' }, sentWith: 'prefill' },
    finish: { delta: {} },
    usage: 'chunk',
    usageExtras: {
      completion_tokens_details: { reasoning_tokens: 0 },
      prompt_tokens_details: { cached_tokens: 0 },
    },
  },
  'lm-studio': {
    ...BASE,
    timing: CPU,
    envelope: (identity) => ({
      ...standard(identity),
      system_fingerprint: identity.model,
      choices: [],
    }),
    choice: withLogprobs,
    roleInEveryDelta: true,
    finish: { delta: {} },
    usage: 'none',
  },
  reasoning: { ...VLLM, reasoning: { field: 'reasoning', tokens: 4 } },
  'reasoning-content': {
    ...SGLANG,
    reasoning: { field: 'reasoning_content', tokens: 3 },
  },
  'usage-only-final': {
    ...BASE,
    timing: GPU,
    envelope: standard,
    choice: bare,
    finish: { delta: {} },
    usage: 'bare',
  },
  'no-done': {
    ...BASE,
    timing: CPU,
    envelope: (identity) => ({
      choices: [],
      created: identity.created,
      id: identity.id,
      model: identity.model,
      object: 'chat.completion.chunk',
    }),
    choice: (delta, finishReason) => ({ finish_reason: finishReason, index: 0, delta }),
    finish: { delta: {} },
    usage: 'in-finish',
    done: false,
  },
  crlf: {
    ...BASE,
    timing: CPU,
    lineEnd: '\r\n',
    envelope: standard,
    choice: withLogprobs,
    roleChunk: { delta: { role: 'assistant' }, sentWith: 'prefill' },
    finish: { delta: {} },
    usage: 'none',
    comment: 'ping - 2026-11-27 10:40:00.000000',
  },
};
