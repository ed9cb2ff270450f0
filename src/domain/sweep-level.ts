import type { SweepResults } from './results.js';

/** A sweep level as every report and message names it: `c=8` or `4 req/s`. */
export function sweepLevelName(dimension: SweepResults['dimension'], level: number): string {
  return dimension === 'request-rate' ? `${level} req/s` : `c=${level}`;
}
