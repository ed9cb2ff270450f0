import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Random } from '../random.js';
import type { Generation } from './generation.js';
import type { ResponseIdentity } from './chunks.js';
import type { BatchEngine } from './engine.js';
import type { ResolvedOptions } from './options.js';
import type { CompletionRequest } from './request.js';
import type { TimerSet } from './timers.js';
import type { FaultKind, SimulatorRequestLog } from './types.js';

/** What the whole server shares with each request. */
export interface SimulatorState {
  options: ResolvedOptions;
  engine: BatchEngine;
  /** Forked once per completion request, so each request's draws are its own. */
  random: Random;
  /** performance.now() from which the server is ready (GET /health 200). */
  readyAtMs: number;
}

/** One HTTP request and response, its log entry (filled in as it goes) and its timers. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  log: SimulatorRequestLog;
  timers: TimerSet;
}

/** A parsed completion request with everything decided about how to answer it. */
export interface CompletionJob {
  exchange: Exchange;
  options: ResolvedOptions;
  engine: BatchEngine;
  request: CompletionRequest;
  generation: Generation;
  identity: ResponseIdentity;
  fault: FaultKind | undefined;
}
