import type { SimulatorOptions } from '../../src/simulator/index.js';
import { measureLevel, type ClientFactory, type LevelFigures } from './measure-level.js';

export type Limit = 'client' | 'server' | 'none';

export interface RampStep {
  concurrency: number;
  decodeStepMs: number;
  /** What the simulated model would stream if neither side held it back. */
  offeredTokensPerSecond: number;
  figures: LevelFigures;
  /** Who held the run back: the client's self-check tripped, or the server fell behind. */
  limit: Limit;
}

export interface RampPlan {
  /** Each step: streams and decode step time (the batch adds nothing: perSequence 0). */
  steps: Array<{ concurrency: number; decodeStepMs: number }>;
  longestOutput: number;
  durationMs: number;
}

/**
 * Streams slower than this share of the simulated decode pace, with the client's self-check
 * clear, mean the simulator could not keep its own schedule: it set the pace, not the client.
 */
const SERVER_KEPT_UP = 0.85;

/**
 * Raises the load step by step until the client's self-check trips (event-loop utilization or
 * timer lag past its limits), or the simulator can no longer keep up twice running (then this
 * machine cannot push the client further, and the last figures bound its ceiling from below).
 */
export async function rampUntilSaturated(
  createClient: ClientFactory,
  plan: RampPlan,
  base: SimulatorOptions,
  onStep: (step: RampStep) => void,
): Promise<RampStep[]> {
  const steps: RampStep[] = [];
  let serverLimited = 0;
  for (const { concurrency, decodeStepMs } of plan.steps) {
    const offeredTokensPerSecond = (concurrency * 1000) / decodeStepMs;
    const averageOutput = (plan.longestOutput * 3) / 4;
    const figures = await measureLevel(createClient, {
      concurrency,
      // Enough that the duration, not the count, ends the phase.
      requests: Math.ceil(((offeredTokensPerSecond / averageOutput) * plan.durationMs) / 500),
      durationMs: plan.durationMs,
      longestOutput: plan.longestOutput,
      simulator: { ...base, decodeStepMs, decodeStepMsPerSequence: 0 },
    });
    const limit: Limit = figures.selfCheck.saturated
      ? 'client'
      : figures.tpotMs.p50 * SERVER_KEPT_UP > decodeStepMs
        ? 'server'
        : 'none';
    const step = { concurrency, decodeStepMs, offeredTokensPerSecond, figures, limit };
    steps.push(step);
    onStep(step);
    if (limit === 'client') break;
    serverLimited = limit === 'server' ? serverLimited + 1 : 0;
    if (serverLimited >= 2) break;
  }
  return steps;
}
