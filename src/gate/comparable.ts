import { canonicalJson } from '../canonical-json.js';
import type { RunResults } from '../domain/results.js';

function loadShape(results: RunResults): string {
  const config = results.config;
  return config.requestRate === undefined
    ? 'closed loop'
    : `open loop at ${config.requestRate} req/s`;
}

/**
 * Why two runs must not be compared, one line per difference naming the field and both values;
 * empty when they measure the same thing. The mix fingerprint covers prompts, weights and each
 * class's max_tokens.
 */
export function checkComparable(baseline: RunResults, current: RunResults): string[] {
  const reasons: string[] = [];
  const compare = (field: string, before: unknown, after: unknown): void => {
    const shownBefore = typeof before === 'string' ? before : canonicalJson(before);
    const shownAfter = typeof after === 'string' ? after : canonicalJson(after);
    if (shownBefore !== shownAfter) {
      reasons.push(`${field} differs: baseline ${shownBefore}, current ${shownAfter}`);
    }
  };
  const [before, after] = [baseline, current];
  compare('model', before.key.model, after.key.model);
  compare('hardware', before.key.hardware, after.key.hardware);
  compare('api', before.key.api, after.key.api);
  if (before.key.mixFingerprint !== after.key.mixFingerprint) {
    reasons.push(
      'prompt mix differs (prompts, weights or max_tokens changed): ' +
        `baseline ${before.key.mixName} ${before.key.mixFingerprint.slice(0, 12)}, ` +
        `current ${after.key.mixName} ${after.key.mixFingerprint.slice(0, 12)}`,
    );
  }
  compare('concurrency', before.config.concurrency, after.config.concurrency);
  compare('load', loadShape(before), loadShape(after));
  if (before.config.requestRate !== undefined && after.config.requestRate !== undefined) {
    compare('arrival', before.config.arrival, after.config.arrival);
    if (before.config.arrival === 'gamma' && after.config.arrival === 'gamma') {
      compare('burstiness', before.config.burstiness, after.config.burstiness);
    }
  }
  compare('extra-body', before.config.extraBody, after.config.extraBody);
  compare('cache-bust', before.config.cacheBust, after.config.cacheBust);
  return reasons;
}
