import * as cache from '@actions/cache';
import type { CacheClient } from './cache-store.js';

/** The real cache client: @actions/cache against the runner's cache service. */
export const actionsCacheClient: CacheClient = {
  async restore(paths, primaryKey, restoreKeys) {
    if (!cache.isFeatureAvailable())
      throw new Error('the Actions cache service is not available here');
    return cache.restoreCache(paths, primaryKey, restoreKeys);
  },
  async save(paths, key) {
    if (!cache.isFeatureAvailable())
      throw new Error('the Actions cache service is not available here');
    await cache.saveCache(paths, key);
  },
};
