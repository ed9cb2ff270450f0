import type { Random } from '../random.js';
import type { ResolvedOptions } from './options.js';
import type { CompletionRequest } from './request.js';

/** What the simulated model will produce for one request. */
export interface Generation {
  outputTokens: number;
  /** The first this-many output tokens are reasoning (chat only). */
  reasoningTokens: number;
  finishReason: 'length' | 'stop';
}

export type GenerationOptions = Pick<
  ResolvedOptions,
  'outputTokens' | 'honorIgnoreEos' | 'reasoningTokens'
>;

/**
 * Output length: max_tokens when asked for a fixed length (ignore_eos, or min_tokens equal to
 * max_tokens) or in 'max' mode; otherwise uniform in [max(ceil(max/2), min_tokens), max], as if
 * the model stopped on its own. A server that ignores ignore_eos/min_tokens ignores them here too.
 */
export function planGeneration(
  request: CompletionRequest,
  options: GenerationOptions,
  random: Random,
): Generation {
  const { maxTokens } = request;
  const honored = options.honorIgnoreEos;
  let outputTokens = maxTokens;
  if (options.outputTokens === 'random' && !(honored && request.ignoreEos)) {
    const low = Math.max(Math.ceil(maxTokens / 2), honored ? request.minTokens : 0);
    outputTokens = low + random.int(maxTokens - low + 1);
  }
  return {
    outputTokens,
    reasoningTokens: request.api === 'chat' ? Math.min(options.reasoningTokens, outputTokens) : 0,
    finishReason: outputTokens === maxTokens ? 'length' : 'stop',
  };
}
