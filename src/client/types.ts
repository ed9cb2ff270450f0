import type { ConnectionFacts, TokenCounting } from '../domain/request.js';

import type { ErrorClass } from '../domain/request.js';

/** What one streamed request measured. All times in ms from a monotonic clock. */
export interface RequestRecord {
  index: number;
  className: string;
  ok: boolean;
  errorClass?: ErrorClass;
  /** Short, secret-free description of the failure. */
  errorMessage?: string;
  status?: number;
  /** performance.now() just before the request was written. */
  startMs: number;
  /** How late the request left compared with its schedule (open loop; 0 in closed loop). */
  scheduleDelayMs: number;
  /** Response headers arrived, relative to startMs. */
  ttfbMs?: number;
  /** First event carrying generated text (content, reasoning or completion text). */
  ttftMs?: number;
  /** First event carrying non-reasoning output text (differs from TTFT for reasoning models). */
  ttfoMs?: number;
  /** End of stream, relative to startMs. */
  e2eMs: number;
  /** Gaps between successive text-carrying events. */
  itlMs: number[];
  outputTokens: number;
  /** True when the output tokens are an estimate (counted from characters, see tokenCounting). */
  outputTokensEstimated: boolean;
  /** How outputTokens was counted: the server's usage, a tokenizer, or ≈4 characters a token. */
  tokenCounting: TokenCounting;
  inputTokens?: number;
  /** Text-carrying events received (whatever the server's usage says). */
  textEvents: number;
  maxTokens: number;
  systemFingerprint?: string;
  finishReason?: string;
}

export interface ResponseFacts {
  /** `server` header of the first response. */
  server?: string;
  systemFingerprint?: string;
  /** Stale keep-alive connections retried, and whether reuse stopped. */
  connections?: ConnectionFacts;
}
