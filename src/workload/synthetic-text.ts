import type { Random } from '../random.js';

/**
 * Common short English words that BPE tokenizers (cl100k/o200k, Llama 3, Qwen, Mistral) encode
 * as one token each with their leading space, so N words of filler ≈ N prompt tokens. The server's
 * usage figure remains the truth; with the space a word averages ~4.4 characters, so the
 * sampler's chars/4 estimate reads about 10% high on this filler.
 */
const WORDS = (
  'the of and to in is it for on was with as at by this from that have are not but had his ' +
  'they you one all were we can her has been if more when will who so no out up into do any ' +
  'your what some time only new like may than them then its over also back after use two how ' +
  'our work first well way even want just year day most us get make see good know take come go ' +
  'man old long down side call find part made live each line set own page end map run key data ' +
  'file test code node load rate cost plan team user case note list form step rule city road ' +
  'tree book hand eye car sea sun air red big low or an be he me my'
).split(' ');

/** `tokens` words of deterministic filler text drawn from `random`. */
export function syntheticText(random: Random, tokens: number): string {
  const words = new Array<string>(tokens);
  for (let i = 0; i < tokens; i++) words[i] = WORDS[random.int(WORDS.length)]!;
  return words.join(' ');
}
