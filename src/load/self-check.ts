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
 * figures carry the client's own delays and the gate must not trust them.
 */
export const SELF_CHECK_LIMITS = {
  eventLoopUtilization: 0.9,
  timerLagP99Ms: 50,
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

  stop(openLoop?: {
    requestedRate: number;
    achievedRate: number;
    dispatchLagP95Ms: number;
  }): SelfCheck {
    this.#delay.disable();
    const utilization = this.utilizationSoFar();
    // The histogram holds how late a 10 ms timer fired: the lag any callback could suffer.
    const lagP99Ms = this.#delay.count > 0 ? Math.max(0, this.#delay.percentile(99) / 1e6 - 10) : 0;
    const lagMaxMs = this.#delay.count > 0 ? Math.max(0, this.#delay.max / 1e6 - 10) : 0;
    const reasons: string[] = [];
    if (utilization > SELF_CHECK_LIMITS.eventLoopUtilization) {
      reasons.push(
        `event-loop utilization ${(utilization * 100).toFixed(0)}% > ${SELF_CHECK_LIMITS.eventLoopUtilization * 100}%`,
      );
    }
    if (lagP99Ms > SELF_CHECK_LIMITS.timerLagP99Ms) {
      reasons.push(
        `timer lag p99 ${lagP99Ms.toFixed(1)} ms > ${SELF_CHECK_LIMITS.timerLagP99Ms} ms`,
      );
    }
    if (openLoop) {
      if (openLoop.dispatchLagP95Ms > SELF_CHECK_LIMITS.dispatchLagP95Ms) {
        reasons.push(
          `requests left ${openLoop.dispatchLagP95Ms.toFixed(0)} ms late with free slots (p95 > ${SELF_CHECK_LIMITS.dispatchLagP95Ms} ms)`,
        );
      }
    }
    return {
      eventLoopUtilization: round(utilization, 3),
      timerLagP99Ms: round(lagP99Ms, 2),
      timerLagMaxMs: round(lagMaxMs, 2),
      ...(openLoop
        ? {
            requestedRate: openLoop.requestedRate,
            achievedRate: round(openLoop.achievedRate, 3),
            dispatchLagP95Ms: round(openLoop.dispatchLagP95Ms, 2),
          }
        : {}),
      saturated: reasons.length > 0,
      reasons,
    };
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
