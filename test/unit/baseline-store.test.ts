import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheBaselineStore, type CacheClient } from '../../src/baseline/cache-store.js';
import { FileBaselineStore } from '../../src/baseline/file-store.js';
import { parseBaselineRecord } from '../../src/baseline/record.js';
import { BASELINE_SCHEMA } from '../../src/domain/results.js';
import { BaselineError } from '../../src/errors.js';
import { CONFIG_SCHEMA, type RunResults } from '../../src/domain/results.js';
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
    ['{"schema":"llm-perf-gate/baseline@1","results":{}}', /: results\.schema is missing;/],
    ['{"schema":"llm-perf-gate/baseline@1"}', /: results is missing;/],
  ])('a corrupt file %s is a clear BaselineError', async (text, message) => {
    const directory = folder();
    const store = new FileBaselineStore(directory);
    const results = buildResults();
    writeFileSync(store.pathFor(results.key), text);
    await expect(store.load(results.key)).rejects.toThrow(BaselineError);
    await expect(store.load(results.key)).rejects.toThrow(message);
  });

  /**
   * A field of a saved baseline's `results` set to a value, or removed (undefined), as a person
   * or a broken upload might.
   */
  function damage(record: { results: unknown }, path: string, value: unknown): void {
    const parts = path.split('.');
    const last = parts.pop()!;
    let parent = record.results as Record<string, unknown>;
    for (const part of parts) parent = parent[part] as Record<string, unknown>;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }

  it.each<[string, string, unknown, RegExp]>([
    [
      'a figure that is not a number',
      'summary.distributions.ttft.p95Ms',
      'fast',
      /results\.summary\.distributions\.ttft\.p95Ms must be a number, not a string \("fast"\)/,
    ],
    [
      'a figure set to null (NaN in JSON)',
      'summary.errorRate',
      null,
      /results\.summary\.errorRate must be a number, not null/,
    ],
    [
      'a negative rate',
      'summary.outputTokensPerSecond',
      -5,
      /results\.summary\.outputTokensPerSecond must be ≥ 0, not -5/,
    ],
    [
      'a distribution removed',
      'summary.distributions.ttft',
      undefined,
      /results\.summary\.distributions\.ttft is missing/,
    ],
    ['the self-check removed', 'selfCheck', undefined, /results\.selfCheck is missing/],
    ['a trial without its figures', 'trials', [{}], /results\.trials\[0\]\.requests is missing/],
    [
      'a histogram that does not decode',
      'histograms.overall.ttft',
      'garbage',
      /the ttft histogram of results\.summary\.distributions is not an encoded HDR histogram/,
    ],
    [
      'a histogram of a class removed',
      'histograms.perClass.chat',
      undefined,
      /results\.perClass\["chat"\]\.distributions has no histograms/,
    ],
    [
      'a p95 lowered by hand',
      'summary.distributions.ttft.p95Ms',
      1,
      /results\.summary\.distributions\.ttft\.p95Ms is 1 but its histogram says \d+(\.\d+)?: the figures were edited or damaged/,
    ],
    [
      'a rate raised by hand',
      'summary.outputTokensPerSecond',
      1e6,
      /results\.summary\.outputTokensPerSecond is 1000000 but the counts and window beside it give [\d.]+: the figures were edited or damaged/,
    ],
    [
      'an error rate lowered by hand',
      'summary.errorRate',
      0.5,
      /results\.summary\.errorRate is 0\.5 but the counts and window beside it give 0:/,
    ],
  ])(
    '%s: one line naming the field, never a crash or a comparison',
    async (_, path, value, message) => {
      const directory = folder();
      const store = new FileBaselineStore(directory);
      const results = buildResults();
      const file = await store.save(results);
      const record = JSON.parse(readFileSync(file, 'utf8')) as { results: unknown };
      damage(record, path, value);
      writeFileSync(file, JSON.stringify(record));
      const loading = store.load(results.key);
      await expect(loading).rejects.toThrow(BaselineError);
      await expect(loading).rejects.toThrow(message);
      await expect(loading).rejects.toThrow(
        /; restore it from git or record it again \(mode update-baseline\)$/,
      );
    },
  );

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

/**
 * A run whose TTFT median is `ms`, histograms and figures alike (a baseline whose figures
 * disagree with its histograms is refused), and its whole-run TTFT p95: what history keeps.
 */
function runAt(ms: number): { results: RunResults; p95Ms: number } {
  const results = buildResults({ ttftMedianMs: ms });
  return { results, p95Ms: results.summary.distributions.ttft.p95Ms };
}

describe('baseline history (files)', () => {
  it('keeps the last baseline-history runs, oldest first, this one last', async () => {
    const directory = folder();
    const store = new FileBaselineStore(directory, { historyLength: 3, cwd: directory });
    const runs = [100, 110, 120, 130].map(runAt);
    for (const run of runs) await store.save(run.results);
    const loaded = await store.load(runs[0]!.results.key);
    expect(loaded?.record.results.history?.map((run) => run.figures.ttftP95Ms)).toEqual(
      runs.slice(1).map((run) => run.p95Ms),
    );
  });

  it('starts history afresh when the load changed (a setting change is not drift)', async () => {
    const directory = folder();
    const store = new FileBaselineStore(directory, { historyLength: 5, cwd: directory });
    const before = runAt(100);
    await store.save(before.results);
    const after = runAt(300);
    await store.save({
      ...after.results,
      config: { ...after.results.config, concurrency: 64 },
    });
    const loaded = await store.load(before.results.key);
    expect(loaded?.record.results.history?.map((run) => run.figures.ttftP95Ms)).toEqual([
      after.p95Ms,
    ]);
  });

  it('seeds history from a baseline written before history existed', async () => {
    const directory = folder();
    const store = new FileBaselineStore(directory, { historyLength: 5, cwd: directory });
    const { results: old, p95Ms: oldP95Ms } = runAt(90);
    const current = runAt(95);
    writeFileSync(
      store.pathFor(old.key),
      JSON.stringify({
        schema: BASELINE_SCHEMA,
        key: old.key,
        savedAt: old.startedAt,
        results: old,
      }),
    );
    await store.save(current.results);
    const loaded = await store.load(old.key);
    expect(loaded?.record.results.history?.map((run) => run.figures.ttftP95Ms)).toEqual([
      oldP95Ms,
      current.p95Ms,
    ]);
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
    const runs = Array.from({ length: HISTORY + 2 }, (_, run) => runAt(100 + run));
    const { results } = runs[0]!;
    for (const [index, run] of runs.entries()) {
      await new CacheBaselineStore({ client: cache, runId: `${index}`, ...quiet }).save(
        run.results,
      );
    }
    const loaded = await new CacheBaselineStore({ client: cache, runId: 'x', ...quiet }).load(
      results.key,
    );
    const history = loaded?.record.results.history ?? [];
    expect(history.map((run) => run.figures.ttftP95Ms)).toEqual(
      runs.slice(2).map((run) => run.p95Ms),
    );
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

describe('the recorded config, versioned', () => {
  const stored = (change: (config: Record<string, unknown>) => void): string => {
    const results = buildResults();
    const config = results.config as unknown as Record<string, unknown>;
    change(config);
    return JSON.stringify({ schema: BASELINE_SCHEMA, key: results.key, results });
  };

  it('reads a file from before it was versioned with the defaults such a run had', async () => {
    const text = stored((config) => {
      delete config.schema;
      delete config.stopWhenDecided;
      delete config.driftFloor;
      delete config.onLowSensitivity;
    });
    const { results } = await parseBaselineRecord(text, 'old.json', buildResults().key);
    expect(results.config.schema).toBe(CONFIG_SCHEMA);
    // It measured its whole budget: stop-when-decided did not exist yet.
    expect(results.config.stopWhenDecided).toBe(false);
    expect(results.config.driftFloor).toBe(0.03);
    expect(results.config.onLowSensitivity).toBe('inconclusive');
  });

  it('requires every setting of its own version', async () => {
    const text = stored((config) => {
      delete config.driftFloor;
    });
    await expect(parseBaselineRecord(text, 'new.json', buildResults().key)).rejects.toThrow(
      /baseline new\.json: results\.config\.driftFloor/,
    );
  });
});
