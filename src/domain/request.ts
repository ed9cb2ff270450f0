/** What a request's outcome is made of: how it failed, how its tokens were counted. */

/** How a failed request failed. Counted per class in the results. */
export const ERROR_CLASSES = [
  'http_429',
  'http_5xx',
  'http_4xx',
  'timeout',
  'connect',
  'dns',
  'tls',
  'midstream',
  'protocol',
  'empty',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** How a request's output tokens were counted, from exact to rough. */
export const TOKEN_COUNTING = ['usage', 'tokenizer', 'characters'] as const;
export type TokenCounting = (typeof TOKEN_COUNTING)[number];

export interface ConnectionFacts {
  /** Requests retried on a fresh connection after their reused one turned out closed. */
  reconnects: number;
  /** Why connections stopped being reused, when they did. */
  reuseStopped?: string;
}
