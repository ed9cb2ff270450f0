import type { CacheClient } from './cache-store.js';

/**
 * @actions/cache and its Azure storage client are a large part of the bundle's start-up: loaded
 * on first use, so only runs with `baseline-source: cache` pay for them.
 */
async function actionsCache(): Promise<typeof import('@actions/cache')> {
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable()) {
    throw new Error('the Actions cache service is not available here');
  }
  return cache;
}

/** The real cache client: @actions/cache against the runner's cache service. */
export const actionsCacheClient: CacheClient = {
  async restore(paths, primaryKey, restoreKeys) {
    return (await actionsCache()).restoreCache(paths, primaryKey, restoreKeys);
  },
  async save(paths, key) {
    await (await actionsCache()).saveCache(paths, key);
  },
};
