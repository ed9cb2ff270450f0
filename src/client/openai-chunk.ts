import type { ErrorClass } from '../domain/request.js';

/**
 * What one event of an OpenAI-compatible stream means to a measurement. The JSON is read
 * defensively: servers differ (llama.cpp's first chunk has `content: null`, vLLM sends a
 * role-only chunk after prefill, Azure a first chunk with empty `choices`), and none of that
 * is generated text.
 */

/** Longest error text kept from a response, before it is cut with an ellipsis. */
export const ERROR_TEXT_LIMIT = 200;

/** The sentinel that ends an OpenAI stream. */
export const DONE_DATA = '[DONE]';

export interface TextPiece {
  /** True for output text (content, completion text), false for reasoning text. */
  output: boolean;
  text: string;
}

export interface EventFailure {
  errorClass: ErrorClass;
  message: string;
}

/** What one event does to a measurement: everything a measurement reads from the parsed JSON. */
export interface EventEffects {
  failure?: EventFailure;
  systemFingerprint?: string;
  usageTokens?: number;
  promptTokens?: number;
  /** One entry per choice that carries non-empty text, in order. */
  texts: TextPiece[];
  finishReason?: string;
}

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

/** The data of one event: the end of the stream, or what the event means. */
export function interpretEvent(data: string): EventEffects | 'done' {
  if (data === DONE_DATA) return 'done';
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    const message = `unparsable event: ${oneLine(data).slice(0, 80)}`;
    return { failure: { errorClass: 'protocol', message }, texts: [] };
  }
  return effectsOf(chunk);
}

/** What a parsed event means. */
export function effectsOf(parsed: unknown): EventEffects {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return {
      failure: { errorClass: 'protocol', message: 'event is not a JSON object' },
      texts: [],
    };
  }
  const chunk = parsed as StreamChunk;
  if (chunk.error !== undefined && chunk.error !== null) {
    return { failure: errorEventFailure(chunk.error), texts: [] };
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
    // A choice with both counts once, as output: its arrival is what TTFO measures.
    if (output !== undefined) effects.texts.push({ output: true, text: output });
    else if (reasoning !== undefined) effects.texts.push({ output: false, text: reasoning });
    if (typeof choice.finish_reason === 'string') effects.finishReason = choice.finish_reason;
  }
  return effects;
}

/** Words in an error's type or code that mean the server is rate limiting (OpenAI, Anthropic, Azure). */
const RATE_LIMIT = /rate[\s_-]?limit|too[\s_-]?many[\s_-]?requests|^429$/i;

/**
 * An error event inside a 200 stream. A rate limit (type `rate_limit_error`, code
 * `rate_limit_exceeded` or 429) is counted with the 429s; anything else broke the stream.
 */
export function errorEventFailure(error: unknown): EventFailure {
  const fields =
    error && typeof error === 'object'
      ? (error as { type?: unknown; code?: unknown; status?: unknown })
      : {};
  const labels = [fields.type, fields.code, fields.status]
    .filter((value) => typeof value === 'string' || typeof value === 'number')
    .map(String);
  const rateLimited = labels.some((label) => RATE_LIMIT.test(label));
  const label = labels.find((value) => value.length > 0);
  const message = `error event${label ? ` (${oneLine(label).slice(0, 40)})` : ''}: ${describeError(error)}`;
  return { errorClass: rateLimited ? 'http_429' : 'midstream', message };
}

function describeError(error: unknown): string {
  if (typeof error === 'string') return oneLine(error);
  if (error && typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return oneLine(message);
  }
  return oneLine(JSON.stringify(error));
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Text from an endpoint as one line of at most ERROR_TEXT_LIMIT characters. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > ERROR_TEXT_LIMIT ? `${flat.slice(0, ERROR_TEXT_LIMIT)}…` : flat;
}
