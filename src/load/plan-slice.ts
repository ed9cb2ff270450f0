import type { MeasureConfig } from '../domain/config.js';

/** This job's share of the plan: everything when unsharded. */
export interface PlanSlice {
  offset: number;
  step: number;
  requests: number;
  warmupRequests: number;
  concurrency: number;
}

/** Splits requests round-robin and concurrency as evenly as whole numbers allow. */
export function planSlice(config: MeasureConfig): PlanSlice {
  const { index, count } = config.shard ?? { index: 1, count: 1 };
  const offset = index - 1;
  const share = (total: number) => Math.floor(total / count) + (offset < total % count ? 1 : 0);
  return {
    offset,
    step: count,
    requests: share(config.requests),
    warmupRequests: share(config.warmupRequests),
    concurrency: Math.max(1, share(config.concurrency)),
  };
}
