import type { PlannedRequest } from '../../src/workload/types.js';

/**
 * Requests the server's log can tell apart. The simulator logs each request's input tokens as
 * ceil(prompt characters / 4), so a prompt of 4·tag characters comes back as `inputTokens: tag`.
 * Tags repeat every `span` requests; with span ≥ 2 × concurrency, two requests with the same tag
 * are a whole request lifetime apart, so within a tag, send order equals arrival order.
 */
export function tagOf(index: number, span: number): number {
  return 1 + (index % span);
}

/**
 * Output lengths spread over [longest/2, longest] (exact, with ignore_eos): with one fixed
 * length, a closed loop's streams end, and their successors arrive, in synchronized waves.
 */
export function taggedRequest(index: number, span: number, longest: number): PlannedRequest {
  const tag = tagOf(index, span);
  const half = Math.ceil(longest / 2);
  // A multiplicative hash spreads consecutive indexes over the range.
  const maxTokens = half + ((Math.imul(index + 1, 0x9e3779b1) >>> 0) % (longest - half + 1));
  return {
    index,
    className: 'bench',
    body: {
      messages: [{ role: 'user', content: 'abcd'.repeat(tag) }],
      max_tokens: maxTokens,
      ignore_eos: true,
    },
    inputTokensEstimate: tag,
    maxTokens,
  };
}
