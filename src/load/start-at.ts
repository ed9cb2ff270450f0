import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../errors.js';

/**
 * A shared start time for shards. Matrix jobs start seconds to minutes apart; if each shard began
 * measuring at once, their windows would only partly overlap and the merged throughput would be
 * the plan's tokens over a stretched window (a false regression). Every shard waits for the same
 * instant instead.
 */

/** A start time this far in the past is a warning, not silence: the shards did not wait. */
export const LATE_START_TOLERANCE_MS = 5000;
/** Further ahead than this is almost certainly a mistake (a runner would sit idle for hours). */
const MAX_WAIT_MS = 6 * 3_600_000;

/** `2026-11-27T16:00:00Z` or epoch seconds (`1795795200`, decimals allowed) → epoch ms. */
export function parseStartAt(input: string, raw: string, now: () => number = Date.now): number {
  const text = raw.trim();
  const epochMs = /^\d+(\.\d+)?$/.test(text)
    ? Number(text) * 1000
    : /^\d{4}-\d{2}-\d{2}T/.test(text)
      ? Date.parse(text)
      : NaN;
  if (!Number.isFinite(epochMs)) {
    throw new InputError(
      input,
      `${input} must be an ISO 8601 time (2026-11-27T16:00:00Z) or epoch seconds, got ${JSON.stringify(text.slice(0, 60))}`,
    );
  }
  if (epochMs - now() > MAX_WAIT_MS) {
    throw new InputError(
      input,
      `${input} ${new Date(epochMs).toISOString()} is more than ${MAX_WAIT_MS / 3_600_000} h away (epoch milliseconds instead of seconds?)`,
    );
  }
  return epochMs;
}

export interface StartAtHooks {
  log: (line: string) => void;
  /** Falls back to `log`. */
  warn?: (line: string) => void;
  signal?: AbortSignal;
  /** Epoch ms now; tests pass their own clock. */
  now?: () => number;
}

/**
 * Waits until `epochMs` (no-op when undefined). Returns early, without throwing, when the signal
 * aborts: the caller's own abort handling then stops the run.
 */
export async function waitForStartAt(
  epochMs: number | undefined,
  hooks: StartAtHooks,
): Promise<void> {
  if (epochMs === undefined) return;
  const now = (hooks.now ?? Date.now)();
  const waitMs = epochMs - now;
  const at = new Date(epochMs).toISOString();
  if (waitMs < -LATE_START_TOLERANCE_MS) {
    (hooks.warn ?? hooks.log)(
      `start-at ${at} was ${((now - epochMs) / 1000).toFixed(1)} s ago: starting now, so this shard may not overlap the others (plan the start further ahead)`,
    );
    return;
  }
  if (waitMs <= 0) return;
  hooks.log(`start-at: waiting ${(waitMs / 1000).toFixed(1)} s until ${at}`);
  try {
    await sleep(waitMs, undefined, hooks.signal ? { signal: hooks.signal } : {});
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
}
