/** A prompt mix: weighted classes of requests. See README "The mix format". */
export interface SyntheticSpec {
  /** Approximate prompt length in tokens (words of generated text stand in for tokens). */
  inputTokens: number;
  /** Optional spread: lengths drawn uniformly from inputTokens ± inputTokensStddev. */
  inputTokensSpread?: number;
  /** Tokens of a deliberate shared prefix (same text for every request of the class). */
  sharedPrefixTokens?: number;
}

export interface MixClass {
  name: string;
  weight: number;
  maxTokens: number;
  /** Inline or loaded prompts (chat: the user message; completions: the prompt). */
  prompts?: string[];
  synthetic?: SyntheticSpec;
  /** Optional system prompt for chat requests. */
  system?: string;
}

export interface Mix {
  /** A short name: the built-in mix name or the file's base name. */
  name: string;
  /** Where it came from: `builtin:NAME` or a path. */
  source: string;
  classes: MixClass[];
  /** sha256 of the canonical content (prompts included), hex. */
  fingerprint: string;
}

/** One request of the seeded sequence, ready to send. */
export interface PlannedRequest {
  /** Position in the sequence (warm-up requests come first, then measured ones). */
  index: number;
  className: string;
  /** JSON body, without `model`, `stream` and `stream_options` (the client adds those). */
  body: Record<string, unknown>;
  /** Our estimate of the prompt's length in tokens (the server's usage wins when present). */
  inputTokensEstimate: number;
  maxTokens: number;
}
