import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { SelfCheck } from '../domain/results.js';

/** Nothing measured, so nothing to say about the client. */
export const IDLE_SELF_CHECK: SelfCheck = {
  eventLoopUtilization: 0,
  timerLagP99Ms: 0,
  timerLagMaxMs: 0,
  saturated: false,
  reasons: [],
};

/**
 * Thresholds past which the load generator, not the endpoint, limited the run. Above them the
 * figures carry the client's own delays and the gate must not trust them; past the TTFT budget
 * alone the run is trusted and warned about.
 */
export const SELF_CHECK_LIMITS = {
  eventLoopUtilization: 0.9,
  timerLagP99Ms: 50,
  /**
   * The TTFT the client may add, p95. A chunk that arrives while the event loop is busy waits
   * for it as a timer does, so the timer lag's p95 is what one in twenty first tokens may have
   * waited before being stamped (bench/results/client.md compares the two at 256 streams). A
   * caution, not a reason: a few ms beside TTFTs of hundreds do not make a comparison unfair.
   */
  addedTtftP95Ms: 5,
  /**
   * Open loop: p95 of how late requests left while a concurrency slot was free. Waiting for a
   * slot is the endpoint's doing (and counted as latency); leaving late with a free slot is ours.
   */
  dispatchLagP95Ms: 25,
} as const;

/** Samples event-loop utilization and timer lag (perf_hooks) during the measured phase. */
export class SelfCheckMonitor {
  readonly #delay = monitorEventLoopDelay({ resolution: 10 });
  #startUtilization: EventLoopUtilization | undefined;

  start(): void {
    this.#delay.enable();
    this.#startUtilization = performance.eventLoopUtilization();
  }

  /** Utilization so far, for the progress line. */
  utilizationSoFar(): number {
    if (!this.#startUtilization) return 0;
    return performance.eventLoopUtilization(this.#startUtilization).utilization;
  }

  stop(openLoop?: OpenLoopLag): SelfCheck {
    this.#delay.disable();
    // The histogram holds how late a 10 ms timer fired: the lag any callback could suffer.
    return judgeSelfCheck(
      {
        eventLoopUtilization: this.utilizationSoFar(),
        timerLagP95Ms: lagMsOf(this.#delay.percentile(95)),
        timerLagP99Ms: lagMsOf(this.#delay.percentile(99)),
        timerLagMaxMs: lagMsOf(this.#delay.max),
      },
      openLoop,
    );
  }
}

/** Open loop: the rates and how late requests left while a slot was free (the runner's). */
export interface OpenLoopLag {
  requestedRate: number;
  achievedRate: number;
  dispatchLagP95Ms: number;
}

/** What the monitor measured of the client's own event loop. */
export interface ClientLoopFigures {
  eventLoopUtilization: number;
  timerLagP95Ms: number;
  timerLagP99Ms: number;
  timerLagMaxMs: number;
}

/**
 * The self-check of measured figures: each limit passed is a reason the run is not trusted,
 * except the TTFT budget, which is a caution.
 */
export function judgeSelfCheck(loop: ClientLoopFigures, openLoop?: OpenLoopLag): SelfCheck {
  const reasons: string[] = [];
  const cautions: string[] = [];
  if (loop.eventLoopUtilization > SELF_CHECK_LIMITS.eventLoopUtilization) {
    reasons.push(
      `event-loop utilization ${(loop.eventLoopUtilization * 100).toFixed(0)}% > ${SELF_CHECK_LIMITS.eventLoopUtilization * 100}%`,
    );
  }
  if (loop.timerLagP95Ms > SELF_CHECK_LIMITS.addedTtftP95Ms) {
    cautions.push(
      `the client may have added ${loop.timerLagP95Ms.toFixed(1)} ms to TTFT (timer lag p95 > the ${SELF_CHECK_LIMITS.addedTtftP95Ms} ms budget)`,
    );
  }
  if (loop.timerLagP99Ms > SELF_CHECK_LIMITS.timerLagP99Ms) {
    reasons.push(
      `timer lag p99 ${loop.timerLagP99Ms.toFixed(1)} ms > ${SELF_CHECK_LIMITS.timerLagP99Ms} ms`,
    );
  }
  if (openLoop && openLoop.dispatchLagP95Ms > SELF_CHECK_LIMITS.dispatchLagP95Ms) {
    reasons.push(
      `requests left ${openLoop.dispatchLagP95Ms.toFixed(0)} ms late with free slots (p95 > ${SELF_CHECK_LIMITS.dispatchLagP95Ms} ms)`,
    );
  }
  return {
    eventLoopUtilization: round(loop.eventLoopUtilization, 3),
    timerLagP95Ms: round(loop.timerLagP95Ms, 2),
    timerLagP99Ms: round(loop.timerLagP99Ms, 2),
    timerLagMaxMs: round(loop.timerLagMaxMs, 2),
    ...(openLoop
      ? {
          requestedRate: openLoop.requestedRate,
          achievedRate: round(openLoop.achievedRate, 3),
          dispatchLagP95Ms: round(openLoop.dispatchLagP95Ms, 2),
        }
      : {}),
    saturated: reasons.length > 0,
    reasons,
    ...(cautions.length > 0 ? { cautions } : {}),
  };
}

/** The 10 ms sampling timer's delay (ns) beyond its period, in ms. */
function lagMsOf(delayNs: number): number {
  return Math.max(0, delayNs / 1e6 - 10);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
