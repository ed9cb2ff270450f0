import { resolve } from 'node:path';
import type { RunConfig } from '../domain/config.js';
import type { ActionsEvent } from '../github/context.js';
import { actionsCacheClient } from './actions-cache.js';
import { CacheBaselineStore, type CacheClient } from './cache-store.js';
import { FileBaselineStore } from './file-store.js';
import type { BaselineStore } from './store.js';

export interface StoreContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  warn: (line: string) => void;
  /** Tests pass an in-memory cache; the action uses @actions/cache. */
  cacheClient?: CacheClient;
}

export function createBaselineStore(config: RunConfig, context: StoreContext): BaselineStore {
  if (config.baselineSource === 'files') {
    return new FileBaselineStore(resolve(context.cwd, config.baselineDir), {
      historyLength: config.baselineHistory,
      cwd: context.cwd,
      ...(config.baselineRef ? { ref: config.baselineRef } : {}),
    });
  }
  const { env } = context;
  return new CacheBaselineStore({
    client: context.cacheClient ?? actionsCacheClient,
    runId: `${env.GITHUB_RUN_ID ?? Date.now()}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
    historyLength: config.baselineHistory,
    log: context.log,
    warn: context.warn,
  });
}

/**
 * True on a push to the repository's default branch: with the cache as the baseline source,
 * those runs become the baseline for pull requests.
 */
export function onDefaultBranch(env: NodeJS.ProcessEnv, event: ActionsEvent): boolean {
  return (
    event.defaultBranch !== undefined && env.GITHUB_REF === `refs/heads/${event.defaultBranch}`
  );
}
