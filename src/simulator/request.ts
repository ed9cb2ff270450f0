import { HttpError } from './http.js';
import { estimateTokens } from './tokens.js';

export type ApiKind = 'chat' | 'completions';

/** The fields of a completion request the simulator acts on; everything else is ignored. */
export interface CompletionRequest {
  api: ApiKind;
  /** As the request named it; undefined when it named none. */
  model: string | undefined;
  inputTokens: number;
  maxTokens: number;
  /** 0 when not asked for. */
  minTokens: number;
  ignoreEos: boolean;
  stream: boolean;
  includeUsage: boolean;
}

/** Used when a request names no max_tokens (real servers fall back to the context length). */
export const DEFAULT_MAX_TOKENS = 256;

export function parseCompletionRequest(api: ApiKind, body: unknown): CompletionRequest {
  if (!isRecord(body)) throw new HttpError(400, 'Request body must be a JSON object.');
  const promptText = api === 'chat' ? chatPromptText(body.messages) : completionPromptText(body);
  const inputTokens =
    api === 'completions' && isTokenIdArray(body.prompt)
      ? body.prompt.length
      : estimateTokens(promptText);

  const maxTokens =
    optionalInteger(body, 'max_completion_tokens', 1) ??
    optionalInteger(body, 'max_tokens', 1) ??
    DEFAULT_MAX_TOKENS;
  const minTokens = optionalInteger(body, 'min_tokens', 0) ?? 0;
  if (minTokens > maxTokens) {
    throw new HttpError(
      400,
      'min_tokens must be less than or equal to max_tokens.',
      undefined,
      'min_tokens',
    );
  }
  const streamOptions = body.stream_options;
  const includeUsage =
    isRecord(streamOptions) && optionalBoolean(streamOptions, 'include_usage') === true;
  return {
    api,
    model: typeof body.model === 'string' ? body.model : undefined,
    inputTokens,
    maxTokens,
    minTokens,
    ignoreEos: optionalBoolean(body, 'ignore_eos') ?? false,
    stream: optionalBoolean(body, 'stream') ?? false,
    includeUsage,
  };
}

/** The text of all messages, newline-separated; string contents and text parts both count. */
function chatPromptText(messages: unknown): string {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new HttpError(400, 'messages must be a non-empty array.', undefined, 'messages');
  }
  return messages
    .map((message) => {
      if (!isRecord(message)) {
        throw new HttpError(400, 'Each message must be an object.', undefined, 'messages');
      }
      const { content } = message;
      if (typeof content === 'string') return content;
      if (Array.isArray(content)) {
        return content
          .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
          .join('');
      }
      return '';
    })
    .join('\n');
}

function completionPromptText(body: Record<string, unknown>): string {
  const { prompt } = body;
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.every((item) => typeof item === 'string')) {
    return prompt.join('\n');
  }
  if (isTokenIdArray(prompt)) return '';
  throw new HttpError(
    400,
    'prompt must be a string, an array of strings or of token ids.',
    undefined,
    'prompt',
  );
}

function isTokenIdArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => Number.isInteger(item));
}

function optionalInteger(
  body: Record<string, unknown>,
  name: string,
  min: number,
): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new HttpError(400, `${name} must be an integer ≥ ${min}.`, undefined, name);
  }
  return value;
}

function optionalBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new HttpError(400, `${name} must be a boolean.`, undefined, name);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
