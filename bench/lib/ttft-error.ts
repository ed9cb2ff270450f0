import type { SimulatorRequestLog } from '../../src/simulator/index.js';
import { spreadOf, type Spread } from './percentiles.js';

/** What the bench keeps of each client-side request: enough to match it, nothing more. */
export interface ClientTtft {
  index: number;
  tag: number;
  startMs: number;
  ttftMs: number;
}

export interface TtftError {
  /** Client TTFT minus the server's (first token written − request received), per request. */
  perRequest: Spread;
  /**
   * The two halves of that error, with the server's times put on the client's clock (via both
   * processes' timeOrigin, good to ~0.1 ms): client start → server received, and server wrote
   * the first token → client stamped it.
   */
  requestLeg: Spread;
  responseLeg: Spread;
  /** Requests that could not be paired (should be 0). */
  unmatched: number;
  /** Client p50/p95 minus server p50/p95: the error a report of percentiles would carry. */
  p50GapMs: number;
  p95GapMs: number;
}

/**
 * Pairs client and server records exactly: same tag (the server logs it as inputTokens), then
 * the n-th send of a tag with the n-th arrival of it. The headline error compares two
 * differences, each within one process's monotonic clock, so no clock offset enters it.
 * Requests before `steadyFromIndex` are paired but not counted: the first wave of a closed
 * loop reaches the server all at once, and the server parses it one request after another.
 */
export function ttftError(
  client: readonly ClientTtft[],
  server: readonly SimulatorRequestLog[],
  clockOffsetMs: number,
  steadyFromIndex: number,
): TtftError {
  const answered = server.filter((entry) => entry.firstTokenAtMs !== undefined);
  const serverByTag = groupSorted(
    answered,
    (entry) => entry.inputTokens,
    (entry) => entry.receivedAtMs,
  );
  const clientByTag = groupSorted(
    client,
    (sample) => sample.tag,
    (sample) => sample.startMs,
  );
  const clientTtfts: number[] = [];
  const serverTtfts: number[] = [];
  const requestLegs: number[] = [];
  const responseLegs: number[] = [];
  let unmatched = 0;
  for (const [tag, samples] of clientByTag) {
    const entries = serverByTag.get(tag) ?? [];
    if (entries.length !== samples.length) {
      unmatched += Math.abs(entries.length - samples.length);
      continue;
    }
    samples.forEach((sample, at) => {
      const entry = entries[at]!;
      if (sample.index < steadyFromIndex) return;
      const firstTokenAtMs = entry.firstTokenAtMs!;
      clientTtfts.push(sample.ttftMs);
      serverTtfts.push(firstTokenAtMs - entry.receivedAtMs);
      requestLegs.push(entry.receivedAtMs + clockOffsetMs - sample.startMs);
      responseLegs.push(sample.startMs + sample.ttftMs - (firstTokenAtMs + clockOffsetMs));
    });
  }
  const clientSpread = spreadOf(clientTtfts);
  const serverSpread = spreadOf(serverTtfts);
  return {
    perRequest: spreadOf(clientTtfts.map((ttftMs, at) => ttftMs - serverTtfts[at]!)),
    requestLeg: spreadOf(requestLegs),
    responseLeg: spreadOf(responseLegs),
    unmatched,
    p50GapMs: clientSpread.p50 - serverSpread.p50,
    p95GapMs: clientSpread.p95 - serverSpread.p95,
  };
}

function groupSorted<T>(
  items: readonly T[],
  keyOf: (item: T) => number,
  timeOf: (item: T) => number,
): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  for (const group of groups.values()) group.sort((a, b) => timeOf(a) - timeOf(b));
  return groups;
}
