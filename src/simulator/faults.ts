import type { Random } from '../random.js';
import type { FaultKind, SimulatorFaults } from './types.js';

/** Drawn in this order; when probabilities add up to more than 1, later kinds are crowded out. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'http429',
  'http500',
  'http502',
  'http503',
  'stallHeaders',
  'stallMidstream',
  'breakMidstream',
  'malformedEvent',
  'errorEvent',
  'htmlAnswer',
  'jsonAnswer',
  'emptyStream',
  'hugeEvent',
  'slowLoris',
];

/** Faults that only make sense in an SSE stream; a non-stream request is served normally. */
const STREAM_ONLY_FAULTS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'stallMidstream',
  'breakMidstream',
  'malformedEvent',
  'errorEvent',
  'jsonAnswer',
  'emptyStream',
  'hugeEvent',
  'slowLoris',
]);

/** At most one fault per request, from a single uniform draw against cumulative probabilities. */
export function chooseFault(
  faults: SimulatorFaults,
  stream: boolean,
  random: Random,
): FaultKind | undefined {
  const draw = random.next();
  let cumulative = 0;
  for (const kind of FAULT_KINDS) {
    cumulative += faults[kind] ?? 0;
    if (draw < cumulative) return stream || !STREAM_ONLY_FAULTS.has(kind) ? kind : undefined;
  }
  return undefined;
}

/** Mid-stream faults act right after this many tokens (fewer when the response is shorter). */
export const FAULT_AFTER_TOKENS = 3;
