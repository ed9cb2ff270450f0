import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheBaselineStore, type CacheClient } from '../../src/baseline/cache-store.js';
import { FileBaselineStore } from '../../src/baseline/file-store.js';
import { BASELINE_SCHEMA } from '../../src/baseline/record.js';
import { BaselineError } from '../../src/errors.js';
import type { RunResults } from '../../src/results/types.js';
import { buildResults } from '../helpers/results-fixture.js';

const folders: string[] = [];
function folder(): string {
  const path = mkdtempSync(join(tmpdir(), 'lpg-store-'));
  folders.push(path);
  return path;
}
afterEach(() => {
  for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
});

/** The cache service's contract in memory: immutable entries, restore by exact key or newest prefix. */
function memoryCache(): CacheClient & { keys: string[] } {
  const entries = new Map<string, string>();
  const keys: string[] = [];
  return {
    keys,
    async restore(paths, primaryKey, restoreKeys) {
      const match =
        (entries.has(primaryKey) ? primaryKey : undefined) ??
        [...keys].reverse().find((key) => restoreKeys.some((prefix) => key.startsWith(prefix)));
      if (!match) return undefined;
      cpSync(entries.get(match) ?? '', paths[0] ?? '', { recursive: true });
      return match;
    },
    async save(paths, key) {
      if (entries.has(key)) throw new Error(`cache entry ${key} already exists`);
      const copy = folder();
      cpSync(paths[0] ?? '', copy, { recursive: true });
      entries.set(key, copy);
      keys.push(key);
    },
  };
}

const HISTORY = 5;
const quiet = { log: () => {}, warn: () => {}, historyLength: HISTORY };

describe('FileBaselineStore', () => {
  it('round-trips a baseline under a readable per-key name', async () => {
    const directory = folder();
    const store = new FileBaselineStore(directory);
    const results = buildResults();
    const path = await store.save(results);
    expect(readdirSync(directory)).toEqual([path.slice(directory.length + 1)]);
    const loaded = await store.load(results.key);
    expect(loaded?.record.results.summary).toEqual(results.summary);
  });

  it('a miss is undefined, not an error', async () => {
    expect(await new FileBaselineStore(folder()).load(buildResults().key)).toBeUndefined();
  });

  it.each([
    ['{ not json', /is not valid JSON/],
    ['{"schema":"llm-perf-gate/baseline@9"}', /has schema "llm-perf-gate\/baseline@9"/],
    ['{"schema":"llm-perf-gate/baseline@1","results":{}}', /is incomplete/],
  ])('a corrupt file %s is a clear BaselineError', async (text, message) => {
    const directory = folder();
    const store = new FileBaselineStore(directory);
    const results = buildResults();
    writeFileSync(store.pathFor(results.key), text);
    await expect(store.load(results.key)).rejects.toThrow(BaselineError);
    await expect(store.load(results.key)).rejects.toThrow(message);
  });

  it('a file of another key is refused and says which field differs', async () => {
    const directory = folder();
    const store = new FileBaselineStore(directory);
    const results = buildResults();
    const path = await store.save(results);
    const other = { ...results.key, hardware: 'elsewhere' };
    cpSync(path, store.pathFor(other));
    await expect(store.load(other)).rejects.toThrow(/belongs to another key: hardware/);
  });
});

/** The results with a whole-run TTFT p95 of `ms` (what history keeps). */
function withTtftP95(results: RunResults, ms: number): RunResults {
  const { distributions } = results.summary;
  return {
    ...results,
    summary: {
      ...results.summary,
      distributions: { ...distributions, ttft: { ...distributions.ttft, p95Ms: ms } },
    },
  };
}

describe('baseline history (files)', () => {
  it('keeps the last baseline-history runs, oldest first, this one last', async () => {
    const directory = folder();
    const store = new FileBaselineStore(directory, { historyLength: 3, cwd: directory });
    const results = buildResults();
    for (const ms of [100, 110, 120, 130]) await store.save(withTtftP95(results, ms));
    const loaded = await store.load(results.key);
    expect(loaded?.record.results.history?.map((run) => run.figures.ttftP95Ms)).toEqual([
      110, 120, 130,
    ]);
  });

  it('starts history afresh when the load changed (a setting change is not drift)', async () => {
    const directory = folder();
    const store = new FileBaselineStore(directory, { historyLength: 5, cwd: directory });
    const results = buildResults();
    await store.save(withTtftP95(results, 100));
    const changed = { ...results, config: { ...results.config, concurrency: 64 } };
    await store.save(withTtftP95(changed, 300));
    const loaded = await store.load(results.key);
    expect(loaded?.record.results.history?.map((run) => run.figures.ttftP95Ms)).toEqual([300]);
  });

  it('seeds history from a baseline written before history existed', async () => {
    const directory = folder();
    const store = new FileBaselineStore(directory, { historyLength: 5, cwd: directory });
    const results = buildResults();
    const old = withTtftP95(results, 90);
    writeFileSync(
      store.pathFor(results.key),
      JSON.stringify({
        schema: BASELINE_SCHEMA,
        key: old.key,
        savedAt: old.startedAt,
        results: old,
      }),
    );
    await store.save(withTtftP95(results, 95));
    const loaded = await store.load(results.key);
    expect(loaded?.record.results.history?.map((run) => run.figures.ttftP95Ms)).toEqual([90, 95]);
  });
});

describe('CacheBaselineStore', () => {
  it('saves under a unique key per run and restores the newest by prefix', async () => {
    const cache = memoryCache();
    const results = buildResults();
    const first = new CacheBaselineStore({ client: cache, runId: '100-1', ...quiet });
    await first.save(results);
    const second = new CacheBaselineStore({ client: cache, runId: '101-1', ...quiet });
    await second.save({ ...results, summary: { ...results.summary, requests: 4242 } });
    expect(cache.keys).toHaveLength(2);
    expect(cache.keys[1]).toMatch(/-101-1$/);
    const loaded = await new CacheBaselineStore({ client: cache, runId: '102-1', ...quiet }).load(
      results.key,
    );
    expect(loaded?.record.results.summary.requests).toBe(4242);
    expect(loaded?.location).toBe(`cache:${cache.keys[1]}`);
  });

  it('keeps the last runs as history (not as trials) so the gate sees run-to-run spread', async () => {
    const cache = memoryCache();
    const results = buildResults();
    for (let run = 0; run < HISTORY + 2; run++) {
      await new CacheBaselineStore({ client: cache, runId: `${run}`, ...quiet }).save(
        withTtftP95(results, 100 + run),
      );
    }
    const loaded = await new CacheBaselineStore({ client: cache, runId: 'x', ...quiet }).load(
      results.key,
    );
    const history = loaded?.record.results.history ?? [];
    expect(history.map((run) => run.figures.ttftP95Ms)).toEqual([102, 103, 104, 105, 106]);
    // The baseline's own trials stay its own: the gate divides drift by them.
    expect(loaded?.record.results.trials).toHaveLength(results.trials.length);
  });

  it('an unavailable cache service is a warning and no baseline', async () => {
    const warnings: string[] = [];
    const broken: CacheClient = {
      restore: async () => {
        throw new Error('Cache service responded with 503');
      },
      save: async () => {
        throw new Error('Cache service responded with 503');
      },
    };
    const store = new CacheBaselineStore({
      client: broken,
      runId: '1',
      historyLength: HISTORY,
      log: () => {},
      warn: (line) => warnings.push(line),
    });
    expect(await store.load(buildResults().key)).toBeUndefined();
    expect(await store.save(buildResults())).toBe('');
    expect(warnings.join('\n')).toMatch(/cache unavailable.*503/);
    expect(warnings.join('\n')).toMatch(/not saved to the cache: .*503/);
  });
});
