import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { RequestRecord } from '../client/types.js';
import type { ArrivalKind } from '../domain/config.js';
import { createHistogram, percentileMs, recordMs } from '../metrics/histogram.js';
import type { Random } from '../random.js';
import type { PlannedRequest } from '../workload/types.js';
import { arrivalOffsetsMs } from './arrivals.js';

/**
 * What the runner needs from a client: one measured request at a time (or, paired A/B, one
 * request sent to both endpoints at once: `Sent` is then both records).
 */
export interface RequestSender<Sent = RequestRecord> {
  send(
    planned: PlannedRequest,
    context: { scheduleDelayMs: number; signal?: AbortSignal },
  ): Promise<Sent>;
}

export interface OpenLoopOptions {
  ratePerSecond: number;
  arrival: ArrivalKind;
  burstiness: number;
  random: Random;
}

export interface PhaseOptions<Sent = RequestRecord> {
  sender: RequestSender<Sent>;
  sampler: (index: number) => PlannedRequest;
  /** Index of the phase's first request in the seeded sequence. */
  firstIndex: number;
  /** Stop after this many requests (of this slice)... */
  count: number;
  /**
   * This job's slice of the plan: its k-th request is the plan's request offset + k·step, and in
   * open loop it takes the same arrivals of the plan's schedule. Shards together are the plan.
   */
  slice?: { offset: number; step: number };
  /** ...or when this much time has passed (no new request starts after it). */
  durationMs?: number;
  /** Closed loop: requests in flight. Open loop: the cap on them. */
  concurrency: number;
  openLoop?: OpenLoopOptions;
  onRecord: (record: Sent) => void;
  /** Aborting stops new requests and cancels those in flight. */
  signal?: AbortSignal;
  /** Aborting stops new requests; those in flight finish and are recorded (decided early). */
  drain?: AbortSignal;
}

export interface PhaseOutcome {
  sent: number;
  interrupted: boolean;
  openLoop?: { requestedRate: number; achievedRate: number; dispatchLagP95Ms: number };
}

export function runPhase<Sent>(options: PhaseOptions<Sent>): Promise<PhaseOutcome> {
  return options.openLoop ? runOpenLoop(options, options.openLoop) : runClosedLoop(options);
}

/** Fixed concurrency: each worker sends its next request as soon as its last one ends. */
async function runClosedLoop<Sent>(options: PhaseOptions<Sent>): Promise<PhaseOutcome> {
  const deadline = deadlineOf(options);
  const planIndex = planIndexOf(options);
  let next = 0;
  const worker = async () => {
    while (next < options.count && performance.now() < deadline && !stopped(options)) {
      const planned = options.sampler(options.firstIndex + planIndex(next++));
      options.onRecord(
        await options.sender.send(planned, { scheduleDelayMs: 0, signal: options.signal }),
      );
    }
  };
  const workers = Math.min(options.concurrency, options.count);
  await Promise.all(Array.from({ length: workers }, worker));
  return { sent: next, interrupted: options.signal?.aborted ?? false };
}

/**
 * Arrivals on a seeded schedule, capped by concurrency. A request that waits for a slot keeps
 * its scheduled time: the wait is real latency for the user it stands for (coordinated omission),
 * and is recorded as its schedule delay.
 */
async function runOpenLoop<Sent>(
  options: PhaseOptions<Sent>,
  openLoop: OpenLoopOptions,
): Promise<PhaseOutcome> {
  const deadline = deadlineOf(options);
  const arrivals = arrivalOffsetsMs(
    openLoop.ratePerSecond,
    openLoop.arrival,
    openLoop.burstiness,
    openLoop.random,
  );
  const dispatchLag = createHistogram();
  const waiting: Array<{ index: number; scheduledAtMs: number }> = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let firstSendMs = 0;
  let lastSendMs = 0;

  const planIndex = planIndexOf(options);
  const step = options.slice?.step ?? 1;
  const offset = options.slice?.offset ?? 0;
  const launch = (index: number, scheduledAtMs: number) => {
    const nowMs = performance.now();
    if (sent === 0) firstSendMs = nowMs;
    lastSendMs = nowMs;
    sent++;
    const planned = options.sampler(options.firstIndex + planIndex(index));
    const request = options.sender
      .send(planned, {
        scheduleDelayMs: Math.max(0, nowMs - scheduledAtMs),
        signal: options.signal,
      })
      .then((record) => {
        options.onRecord(record);
        inFlight.delete(request);
        const queued = waiting.shift();
        if (queued && !stopped(options)) launch(queued.index, queued.scheduledAtMs);
      });
    inFlight.add(request);
  };

  const phaseStartMs = performance.now();
  for (let index = 0; index < options.count; index++) {
    // Skip the plan's arrivals that belong to other shards.
    for (let skipped = 0; skipped < (index === 0 ? offset : step - 1); skipped++) arrivals.next();
    const scheduledAtMs = phaseStartMs + (arrivals.next().value as number);
    if (scheduledAtMs > deadline) break;
    const waitMs = scheduledAtMs - performance.now();
    if (waitMs > 1)
      await delay(waitMs - 0.5, undefined, { signal: options.signal }).catch(() => {});
    if (stopped(options)) break;
    if (inFlight.size < options.concurrency) {
      recordMs(dispatchLag, Math.max(0, performance.now() - scheduledAtMs));
      launch(index, scheduledAtMs);
    } else {
      waiting.push({ index, scheduledAtMs });
    }
  }
  while (inFlight.size > 0) await Promise.race(inFlight);
  const spanSeconds = (lastSendMs - firstSendMs) / 1000;
  return {
    sent,
    interrupted: options.signal?.aborted ?? false,
    openLoop: {
      requestedRate: openLoop.ratePerSecond / step,
      achievedRate: sent > 1 && spanSeconds > 0 ? (sent - 1) / spanSeconds : 0,
      dispatchLagP95Ms: percentileMs(dispatchLag, 95),
    },
  };
}

/** No new request starts once the phase is cancelled or drained. */
function stopped(options: Pick<PhaseOptions<unknown>, 'signal' | 'drain'>): boolean {
  return (options.signal?.aborted ?? false) || (options.drain?.aborted ?? false);
}

function planIndexOf(options: Pick<PhaseOptions<unknown>, 'slice'>): (ownIndex: number) => number {
  const { offset = 0, step = 1 } = options.slice ?? {};
  return (ownIndex) => offset + ownIndex * step;
}

function deadlineOf(options: Pick<PhaseOptions<unknown>, 'durationMs'>): number {
  return options.durationMs !== undefined ? performance.now() + options.durationMs : Infinity;
}
