import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheClient } from '../../src/baseline/cache-store.js';
import { parseConfig } from '../../src/config/parse.js';
import type { InputName } from '../../src/config/inputs.js';
import { run } from '../../src/run.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { LIGHT_CONCURRENCY, LIGHT_SERVER, TINY_MIX } from '../helpers/light-load.js';

/** The Actions cache's contract in memory: immutable keys, restore by the newest prefix match. */
function memoryCache(): CacheClient & { keys: string[] } {
  const entries = new Map<string, string>();
  const keys: string[] = [];
  return {
    keys,
    async restore(paths, _primaryKey, restoreKeys) {
      const match = [...keys].reverse().find((key) => restoreKeys.some((p) => key.startsWith(p)));
      if (!match) return undefined;
      cpSync(entries.get(match) ?? '', paths[0] ?? '', { recursive: true });
      return match;
    },
    async save(paths, key) {
      const copy = mkdtempSync(join(tmpdir(), 'lpg-cache-entry-'));
      cpSync(paths[0] ?? '', copy, { recursive: true });
      entries.set(key, copy);
      keys.push(key);
    },
  };
}

/**
 * A light load (test/helpers/light-load.ts), and a slow server whose prefill is five times as
 * long; the gate judges medians with room to spare. So the verdicts cannot be mistaken.
 */
const SERVER = { ...LIGHT_SERVER, seed: 41 };
const GATE = {
  'prompt-mix': TINY_MIX,
  requests: '40',
  'warmup-requests': '4',
  concurrency: LIGHT_CONCURRENCY,
  thresholds: 'ttft.p50: +100%\noutput_tokens_per_second: -50%',
} satisfies Partial<Record<InputName, string>>;

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator(SERVER);
});
afterAll(async () => {
  await simulator.close();
});

describe('baseline-source: cache', () => {
  it('default-branch runs become the baseline that pull requests compare with', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'lpg-cache-run-'));
    const cache = memoryCache();
    const inputs: Partial<Record<InputName, string>> = {
      endpoint: simulator.url,
      model: 'sim-llama-8b',
      ...GATE,
      'on-low-sensitivity': 'pass',
      'baseline-source': 'cache',
      'results-path': join(workspace, 'results.json'),
      // 40 requests in one trial cannot see twice every threshold: this test is about the
      // cache's flow, so it accepts that knowingly.
      'accept-noisy-baseline': 'true',
    };
    const config = parseConfig((name) => inputs[name]);
    const context = (ref: string, runId: string) => ({
      cwd: workspace,
      env: { GITHUB_REF: ref, GITHUB_RUN_ID: runId, RUNNER_TEMP: workspace },
      event: { defaultBranch: 'main' },
      log: () => {},
      warn: () => {},
      cacheClient: cache,
    });

    const first = await run(config, context('refs/heads/main', '1'));
    expect(first.verdict, first.failure).toBe('no-baseline');
    expect(cache.keys).toHaveLength(1);

    const pullRequest = await run(config, context('refs/pull/5/merge', '2'));
    expect(pullRequest.verdict, pullRequest.failure).toBe('pass');
    expect(pullRequest.baselinePath).toBe(`cache:${cache.keys[0]}`);
    expect(cache.keys).toHaveLength(1);
  });

  it('a default-branch run that regressed is not kept as a baseline run', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'lpg-cache-regressed-'));
    const cache = memoryCache();
    const slow = await startSimulator({ ...SERVER, ttftScale: 5 });
    try {
      const logs: string[] = [];
      const mainRun = async (endpoint: string, runId: string) => {
        const inputs: Partial<Record<InputName, string>> = {
          endpoint,
          model: 'sim-llama-8b',
          ...GATE,
          'baseline-source': 'cache',
          'fail-on-regression': 'false',
          'accept-noisy-baseline': 'true',
          'results-path': join(workspace, 'results.json'),
        };
        return run(
          parseConfig((name) => inputs[name]),
          {
            cwd: workspace,
            env: { GITHUB_REF: 'refs/heads/main', GITHUB_RUN_ID: runId, RUNNER_TEMP: workspace },
            event: { defaultBranch: 'main' },
            log: () => {},
            warn: (line) => logs.push(line),
            cacheClient: cache,
          },
        );
      };
      const first = await mainRun(simulator.url, '1');
      expect(first.verdict, first.failure).toBe('no-baseline');
      expect(cache.keys).toHaveLength(1);
      const regressed = await mainRun(slow.url, '2');
      expect(regressed.verdict, regressed.failure).toBe('regression');
      expect(cache.keys).toHaveLength(1);
      expect(logs.join('\n')).toMatch(
        /baseline cache: this run is not kept as a baseline: the gate's verdict was regression/,
      );
    } finally {
      await slow.close();
    }
  });
});
