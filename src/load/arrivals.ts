import type { ArrivalKind } from '../domain/config.js';
import type { Random } from '../random.js';

/**
 * Open-loop arrival times, precomputed from the seed so that a re-run (or a shard) sends on the
 * same schedule. Returns a generator of offsets in ms from the start of the phase.
 */
export function* arrivalOffsetsMs(
  ratePerSecond: number,
  kind: ArrivalKind,
  burstiness: number,
  random: Random,
): Generator<number> {
  const meanGapMs = 1000 / ratePerSecond;
  let offsetMs = 0;
  for (;;) {
    yield offsetMs;
    offsetMs += nextGapMs(meanGapMs, kind, burstiness, random);
  }
}

function nextGapMs(
  meanGapMs: number,
  kind: ArrivalKind,
  burstiness: number,
  random: Random,
): number {
  switch (kind) {
    case 'constant':
      return meanGapMs;
    case 'poisson':
      return random.exponential(meanGapMs);
    case 'gamma':
      // Shape k, scale mean/k: same mean rate, coefficient of variation 1/sqrt(k).
      return random.gamma(burstiness, meanGapMs / burstiness);
  }
}
