import type { Generation } from './generation.js';
import type { ApiKind } from './request.js';

/** What every chunk and body of one response shares. */
export interface ResponseIdentity {
  api: ApiKind;
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  systemFingerprint: string;
}

export type TokenKind = 'content' | 'reasoning';

export const SSE_DONE = 'data: [DONE]\n\n';

export function sseEvent(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function chunkEnvelope(identity: ResponseIdentity, choices: unknown[]) {
  return {
    id: identity.id,
    object: identity.api === 'chat' ? 'chat.completion.chunk' : 'text_completion',
    created: identity.created,
    model: identity.model,
    system_fingerprint: identity.systemFingerprint,
    choices,
  };
}

/** The chat chunk that carries only the role: content '' (vLLM) or null (llama.cpp). */
export function roleChunk(identity: ResponseIdentity, content: '' | null) {
  return chunkEnvelope(identity, [
    { index: 0, delta: { role: 'assistant', content }, logprobs: null, finish_reason: null },
  ]);
}

export function tokenChunk(
  identity: ResponseIdentity,
  text: string,
  kind: TokenKind,
  finishReason: string | null,
) {
  const choice =
    identity.api === 'chat'
      ? {
          index: 0,
          delta: kind === 'reasoning' ? { reasoning_content: text } : { content: text },
          logprobs: null,
          finish_reason: finishReason,
        }
      : { index: 0, text, logprobs: null, finish_reason: finishReason };
  return chunkEnvelope(identity, [choice]);
}

/** Usage of a finished generation. */
export function usage(inputTokens: number, generation: Generation) {
  return {
    prompt_tokens: inputTokens,
    completion_tokens: generation.outputTokens,
    total_tokens: inputTokens + generation.outputTokens,
    ...(generation.reasoningTokens > 0
      ? { completion_tokens_details: { reasoning_tokens: generation.reasoningTokens } }
      : {}),
  };
}

/** The chunk OpenAI sends last when stream_options.include_usage is set: no choices, usage. */
export function usageChunk(identity: ResponseIdentity, usageBody: ReturnType<typeof usage>) {
  return { ...chunkEnvelope(identity, []), usage: usageBody };
}

/** The event some servers send instead of failing the HTTP status once streaming has begun. */
export function errorEventPayload() {
  return {
    error: {
      message: 'The simulated server failed while generating.',
      type: 'server_error',
      param: null,
      code: null,
    },
  };
}

/** A whole non-stream completion (`stream: false`, or a server that ignores `stream`). */
export function completionBody(
  identity: ResponseIdentity,
  text: { content: string; reasoning: string },
  generation: Generation,
  usageBody: ReturnType<typeof usage>,
) {
  const choice =
    identity.api === 'chat'
      ? {
          index: 0,
          message: {
            role: 'assistant',
            content: text.content,
            ...(text.reasoning ? { reasoning_content: text.reasoning } : {}),
          },
          logprobs: null,
          finish_reason: generation.finishReason,
        }
      : { index: 0, text: text.content, logprobs: null, finish_reason: generation.finishReason };
  return {
    id: identity.id,
    object: identity.api === 'chat' ? 'chat.completion' : 'text_completion',
    created: identity.created,
    model: identity.model,
    system_fingerprint: identity.systemFingerprint,
    choices: [choice],
    usage: usageBody,
  };
}
