import { InputError } from '../errors.js';
import { readJsonFileSync } from '../json-file.js';

import { TOKEN_COUNTING, type TokenCounting } from '../domain/request.js';

/**
 * Characters per token assumed without usage and without a tokenizer: the usual rule of thumb
 * for English text with BPE vocabularies of 32k–200k tokens (OpenAI's tokenizer guide says ~4).
 * Code, other languages and emoji come out differently: the figure is marked estimated.
 */
export const CHARS_PER_TOKEN = 4;

/** The least exact of some counting methods: what a sum of their counts can claim. */
export function weakestTokenCounting(
  methods: ReadonlyArray<TokenCounting | undefined>,
): TokenCounting {
  let weakest = 0;
  for (const method of methods) {
    if (method !== undefined) weakest = Math.max(weakest, TOKEN_COUNTING.indexOf(method));
  }
  return TOKEN_COUNTING[weakest]!;
}

export function estimateTokensFromCharacters(characters: number): number {
  return Math.ceil(characters / CHARS_PER_TOKEN);
}

/** Counts the tokens of a response's generated text. */
export interface TokenCounter {
  count(text: string): number;
}

/**
 * A counter from a Hugging Face `tokenizer.json` on disk (the `tokenizer` input). Read with
 * @huggingface/tokenizers: pure JavaScript, no dependencies, no network (it takes the parsed
 * JSON), so it bundles with ncc and runs offline. Imported only when a tokenizer is configured:
 * most runs count with usage, and the start of every run would pay for it.
 */
export async function loadTokenCounter(path: string): Promise<TokenCounter> {
  const json = readJsonFileSync(
    path,
    'tokenizer',
    (message) => new InputError('tokenizer', message),
  );
  const { Tokenizer } = await import('@huggingface/tokenizers');
  let tokenizer: InstanceType<typeof Tokenizer>;
  try {
    tokenizer = new Tokenizer(json as object, {});
  } catch (error) {
    throw new InputError(
      'tokenizer',
      `tokenizer ${path} is not a Hugging Face tokenizer.json (${(error as Error).message.split('\n')[0]})`,
    );
  }
  return {
    // The generated text only: no special tokens (BOS) around it.
    count: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.length,
  };
}
