import type { ApiKind } from '../domain/config.js';
import { InputError } from '../errors.js';
import { createRandom, type Random } from '../random.js';
import { describe } from './mix-schema.js';
import { syntheticText } from './synthetic-text.js';
import type { Mix, MixClass, PlannedRequest } from './types.js';

export interface SamplerOptions {
  seed: number;
  api: ApiKind;
  /** Merged last (shallow) into every body: `ignore_eos`, `min_tokens`, even `max_tokens`. */
  extraBody: Record<string, unknown>;
  /** Put a unique nonce in every prompt so prefix caches cannot serve repeats. */
  cacheBust: boolean;
}

/** The request at a position of the seeded sequence. */
export type Sampler = (index: number) => PlannedRequest;

/**
 * Turns a mix into a seeded request sequence. The request at index i depends only on the mix,
 * the seed and i (each index gets its own random stream), never on call order, so shards,
 * retries and re-runs see the same sequence. Classes are drawn by weight, prompts uniformly.
 */
export function createSampler(mix: Mix, options: SamplerOptions): Sampler {
  const { seed, api, extraBody, cacheBust } = options;
  const maxTokensOverride = extraMaxTokens(extraBody);
  const cumulativeWeights = cumulativeSums(mix.classes.map((mixClass) => mixClass.weight));
  const sharedPrefixes = mix.classes.map((mixClass) => sharedPrefix(mixClass, seed));

  return (index) => {
    const random = createRandom(seed).fork(index);
    const classIndex = pickIndex(cumulativeWeights, random.next());
    const mixClass = mix.classes[classIndex]!;
    const prefix = sharedPrefixes[classIndex];
    const nonce = cacheBust ? `[nonce ${nonceHex(seed, index)}] ` : '';
    // The nonce goes right after everything meant to be shared (system prompt, shared prefix):
    // a prefix cache can serve those, but nothing from the nonce on.
    const shared = prefix === undefined ? '' : `${prefix}\n\n`;
    const user = shared + nonce + promptText(mixClass, random);
    const system = mixClass.system;
    return {
      index,
      className: mixClass.name,
      body: { ...baseBody(api, system, user, mixClass.maxTokens), ...extraBody },
      inputTokensEstimate: estimateTokens((system?.length ?? 0) + user.length),
      maxTokens: maxTokensOverride ?? mixClass.maxTokens,
    };
  };
}

function baseBody(
  api: ApiKind,
  system: string | undefined,
  user: string,
  maxTokens: number,
): Record<string, unknown> {
  if (api === 'completions') {
    // The completions API has no system role: the system prompt leads the prompt.
    return { prompt: system === undefined ? user : `${system}\n\n${user}`, max_tokens: maxTokens };
  }
  const messages: { role: string; content: string }[] = [];
  if (system !== undefined) messages.push({ role: 'system', content: system });
  messages.push({ role: 'user', content: user });
  return { messages, max_tokens: maxTokens };
}

/** A prompt from the class's list, or synthetic filler for the part after the shared prefix. */
function promptText(mixClass: MixClass, random: Random): string {
  if (mixClass.prompts) return mixClass.prompts[random.int(mixClass.prompts.length)]!;
  const synthetic = mixClass.synthetic!;
  const spread = synthetic.inputTokensSpread ?? 0;
  const length = synthetic.inputTokens - spread + random.int(2 * spread + 1);
  return syntheticText(random, length - (synthetic.sharedPrefixTokens ?? 0));
}

/** The class's deliberate shared prefix: the same text for every request of the class. */
function sharedPrefix(mixClass: MixClass, seed: number): string | undefined {
  const tokens = mixClass.synthetic?.sharedPrefixTokens;
  if (tokens === undefined) return undefined;
  return syntheticText(createRandom(seed).fork(`shared-prefix:${mixClass.name}`), tokens);
}

/**
 * Rough prompt tokens: ~4 characters per token for English text in BPE tokenizers. Chat template
 * tokens are not counted; the server's usage figure wins whenever it reports one.
 */
function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

function extraMaxTokens(extraBody: Record<string, unknown>): number | undefined {
  const value = extraBody.max_tokens;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InputError(
      'extra-body',
      `extra-body: max_tokens must be a positive integer, got ${describe(value)}`,
    );
  }
  return value;
}

function cumulativeSums(values: number[]): number[] {
  let total = 0;
  return values.map((value) => (total += value));
}

/** The first index whose cumulative weight exceeds u·total. */
function pickIndex(cumulativeWeights: number[], u: number): number {
  const target = u * cumulativeWeights[cumulativeWeights.length - 1]!;
  const index = cumulativeWeights.findIndex((sum) => sum > target);
  return index === -1 ? cumulativeWeights.length - 1 : index;
}

/**
 * 8 hex digits from (seed, index), distinct for every index under one seed: murmur3's fmix32 is a
 * bijection on 32-bit values, so distinct inputs give distinct outputs.
 */
function nonceHex(seed: number, index: number): string {
  return fmix32((index + fmix32(seed >>> 0)) >>> 0)
    .toString(16)
    .padStart(8, '0');
}

function fmix32(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
