import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import { writeJsonAtomic } from '../files.js';
import type { BenchmarkKey, RunResults } from '../domain/results.js';
import { nextHistory } from './history.js';
import { baselineFileName } from '../domain/key.js';
import { parseBaselineRecord, toBaselineRecord } from './record.js';
import type { BaselineStore, LoadedBaseline } from './store.js';

/** The two calls of @actions/cache we use, behind an interface so tests need no cache service. */
export interface CacheClient {
  restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

const FILE = 'baseline.json';

/**
 * The cache's version hashes the paths, so save and restore must use the very same folder:
 * a fixed one, emptied before each use.
 */
async function freshCacheFolder(): Promise<string> {
  const directory = join(process.env.RUNNER_TEMP ?? tmpdir(), 'llm-perf-gate-baseline');
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  return directory;
}

export interface CacheStoreOptions {
  client: CacheClient;
  /** Unique per run (run id and attempt): caches are immutable, so each save needs a new key. */
  runId: string;
  /**
   * Default-branch runs kept as the baseline's history: the baseline then knows how much a whole
   * run varies from day to day (drift), which a single run cannot tell.
   */
  historyLength: number;
  warn: (line: string) => void;
  log: (line: string) => void;
}

/**
 * Baselines in the Actions cache: each default-branch run saves under a unique key with a
 * per-benchmark prefix; other runs restore the newest by prefix. A miss or an unavailable cache
 * service is a warning and a missing baseline, never a crash.
 */
export class CacheBaselineStore implements BaselineStore {
  constructor(private readonly options: CacheStoreOptions) {}

  prefixFor(key: BenchmarkKey): string {
    return `llm-perf-gate-${baselineFileName(key).replace(/\.json$/, '')}-`;
  }

  async load(key: BenchmarkKey): Promise<LoadedBaseline | undefined> {
    const directory = await freshCacheFolder();
    try {
      const prefix = this.prefixFor(key);
      let hit: string | undefined;
      try {
        hit = await this.options.client.restore([directory], `${prefix}restore-only`, [prefix]);
      } catch (error) {
        this.options.warn(
          `baseline cache unavailable, treating as no baseline: ${errorMessage(error)}`,
        );
        return undefined;
      }
      if (!hit) {
        this.options.log(`baseline cache: no entry with prefix ${prefix}`);
        return undefined;
      }
      const location = `cache:${hit}`;
      const text = await readFile(join(directory, FILE), 'utf8');
      return { record: await parseBaselineRecord(text, location, key), location };
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  async save(results: RunResults): Promise<string> {
    const previous = await this.load(results.key).catch(() => undefined);
    const history = nextHistory(previous?.record.results, results, this.options.historyLength);
    const directory = await freshCacheFolder();
    const key = `${this.prefixFor(results.key)}${this.options.runId}`;
    try {
      await writeJsonAtomic(join(directory, FILE), toBaselineRecord(results, history));
      await this.options.client.save([directory], key);
      return `cache:${key}`;
    } catch (error) {
      this.options.warn(`baseline not saved to the cache: ${errorMessage(error)}`);
      return '';
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
}
