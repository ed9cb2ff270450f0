/**
 * Token arithmetic without a tokenizer. Input tokens are estimated as ceil(characters / 4) of the
 * prompt text (the usual rule of thumb for English BPE vocabularies); output tokens are
 * pseudo-words, one per streamed event, the same for a given position in every response.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vo', 'ne', 'ri', 'da', 'po', 'shi'];

/** The text of output token `index`: a short pseudo-word followed by a space. */
export function tokenText(index: number): string {
  // A multiplicative hash spreads consecutive indexes over different words.
  const hash = Math.imul(index + 1, 0x9e3779b1) >>> 0;
  const first = SYLLABLES[hash % SYLLABLES.length]!;
  const second = SYLLABLES[(hash >>> 8) % SYLLABLES.length]!;
  return `${first}${second} `;
}

/** About `chars` characters of pseudo-words, for the oversized-event fault. */
export function hugeText(chars: number): string {
  const word = tokenText(0);
  return word.repeat(Math.ceil(chars / word.length));
}
