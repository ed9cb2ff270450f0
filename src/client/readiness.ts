import { setTimeout as delay } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import type { MeasureConfig } from '../domain/config.js';
import { EndpointError } from '../errors.js';
import {
  describeAnswer,
  probeHeaders,
  requestHealth,
  requestModels,
  requestOneToken,
  type ProbeAnswer,
} from './endpoint-probe.js';
import { chooseModel, judgeUnlistedModel } from './served-model.js';

export interface ReadinessContext {
  log: (line: string) => void;
  /** A cancelled run stops waiting at once. */
  signal?: AbortSignal;
}

export interface ReadinessTiming {
  progressEveryMs: number;
  pollEveryMs: number;
}

export interface ReadyEndpoint {
  /** The run's configuration with `model` checked, or chosen when it was not set. */
  config: MeasureConfig;
  /** What GET /models listed, recorded with the endpoint's facts. */
  servedModels?: string[];
}

const TIMING: ReadinessTiming = { progressEveryMs: 10_000, pollEveryMs: 1000 };

/**
 * Gets the endpoint ready for measuring: with `wait-for-endpoint`, polls until it is healthy;
 * then checks `model` against what GET /models lists (or picks the only model served). Without a
 * wait this is a single GET /models, cheap enough for every mode.
 */
export async function prepareEndpoint(
  config: MeasureConfig,
  context: ReadinessContext,
  timing: ReadinessTiming = TIMING,
): Promise<ReadyEndpoint> {
  const dispatcher = new Agent({ connections: 1 });
  const headers = probeHeaders(config.apiKey, config.headers);
  try {
    const answer =
      config.waitForEndpointMs === undefined
        ? await requestModels(dispatcher, config.endpoint, headers, context.signal)
        : await waitUntilReady(dispatcher, config, headers, context, timing);
    // A cancelled run measures nothing; its model no longer matters.
    if (context.signal?.aborted) return { config };
    if (config.waitForEndpointMs === undefined && !answersNormally(answer)) {
      context.log(
        `${describeAnswer('GET /models', answer)}: if the server is still starting, set wait-for-endpoint`,
      );
    }
    const served = 'status' in answer ? answer.models : undefined;
    const choice = chooseModel(config.model, served, {
      endpoint: config.endpoint,
      unlisted: describeAnswer('GET /models', answer),
      anyName: 'status' in answer && answer.anyModelName === true,
    });
    if ('unlisted' in choice) {
      const answer = await requestOneToken(dispatcher, config, headers, context.signal);
      if (context.signal?.aborted) return { config };
      context.log(judgeUnlistedModel(choice.unlisted, answer));
    } else if (choice.note) {
      context.log(choice.note);
    }
    return {
      config: { ...config, model: choice.model },
      ...(served ? { servedModels: served } : {}),
    };
  } finally {
    await dispatcher.destroy();
  }
}

/**
 * Polls GET /health at the origin (200 only counts) until the deadline. A server without a health
 * route (a 4xx: Ollama, LM Studio, hosted APIs) is ready once GET {endpoint}/models answers 200.
 * /models alone is not trusted when /health exists: SGLang lists its model before it has warmed up.
 * Returns the /models answer of the ready server.
 */
async function waitUntilReady(
  dispatcher: Dispatcher,
  config: MeasureConfig,
  headers: Record<string, string>,
  context: ReadinessContext,
  timing: ReadinessTiming,
): Promise<ProbeAnswer> {
  const { endpoint } = config;
  const waitMs = config.waitForEndpointMs ?? 0;
  const { signal } = context;
  const startedMs = performance.now();
  const deadlineMs = startedMs + waitMs;
  let nextProgressMs = startedMs + timing.progressEveryMs;
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  context.log(`waiting up to ${seconds(waitMs)} for ${endpoint} to be ready (wait-for-endpoint)`);
  let last: string | undefined;
  for (;;) {
    // A probe that hangs gives up at the deadline, not 5 s after it.
    const remainingMs = Math.max(1, Math.ceil(deadlineMs - performance.now()));
    const attempt = AbortSignal.any([
      AbortSignal.timeout(remainingMs),
      ...(signal ? [signal] : []),
    ]);
    const poll = await pollOnce(dispatcher, endpoint, headers, attempt);
    if (poll.ready) {
      context.log(`endpoint ready after ${seconds(performance.now() - startedMs)}`);
      return poll.models ?? requestModels(dispatcher, endpoint, headers, signal);
    }
    // An answer cut short by the deadline says less than the one before it.
    if (!attempt.aborted || last === undefined) last = poll.last;
    if (signal?.aborted) return { error: 'cancelled' };
    const nowMs = performance.now();
    if (nowMs >= deadlineMs) {
      throw new EndpointError(
        `endpoint ${endpoint} was not ready within ${seconds(waitMs)} (wait-for-endpoint); last: ${last}`,
      );
    }
    if (nowMs >= nextProgressMs) {
      context.log(
        `waiting for ${endpoint}: ${last} (${seconds(nowMs - startedMs)} of ${seconds(waitMs)})`,
      );
      nextProgressMs += timing.progressEveryMs;
    }
    await delay(Math.min(timing.pollEveryMs, deadlineMs - nowMs), undefined, { signal }).catch(
      () => undefined,
    );
  }
}

/** No answer, or a 5xx: what a server that is still starting gives. */
function answersNormally(answer: ProbeAnswer): boolean {
  return 'status' in answer && answer.status < 500;
}

/** One look; when ready through /models (no /health route), its answer comes along. */
type Poll = { ready: true; models?: ProbeAnswer } | { ready: false; last: string };

async function pollOnce(
  dispatcher: Dispatcher,
  endpoint: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Poll> {
  const health = await requestHealth(dispatcher, endpoint, headers, signal);
  if ('status' in health && health.status === 200) return { ready: true };
  if (!('status' in health) || health.status < 400 || health.status >= 500) {
    return { ready: false, last: describeAnswer('GET /health', health) };
  }
  const models = await requestModels(dispatcher, endpoint, headers, signal);
  if ('status' in models && models.status === 200) return { ready: true, models };
  return { ready: false, last: describeAnswer('GET /models', models) };
}
