import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheClient } from '../../src/baseline/cache-store.js';
import { parseConfig } from '../../src/config/parse.js';
import type { InputName } from '../../src/config/inputs.js';
import { run } from '../../src/run.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { wasClientBound } from '../helpers/busy-machine.js';

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
 * TTFT is mostly a 40 ms prefill, far above what a busy machine adds, and the slow server's is
 * five times that; the gate judges medians with room to spare. So the verdicts cannot be
 * mistaken, except that a run whose own load generator was the bottleneck (a machine too busy to
 * measure) is inconclusive and never kept: that one alternative is accepted below.
 */
const SERVER = { prefillBaseMs: 40, decodeStepMs: 1, jitter: 0.05, seed: 41 };
const GATE = {
  requests: '60',
  'warmup-requests': '4',
  concurrency: '16',
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
      'prompt-mix': resolve('test/fixtures/mixes/fast.yaml'),
      ...GATE,
      'on-low-sensitivity': 'pass',
      'baseline-source': 'cache',
      'results-path': join(workspace, 'results.json'),
      // 60 requests in one trial cannot see twice every threshold: this test is about the
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
    if (wasClientBound(first)) {
      expect(cache.keys).toHaveLength(0);
      return;
    }
    expect(first.verdict, first.failure).toBe('no-baseline');
    expect(cache.keys).toHaveLength(1);

    const pullRequest = await run(config, context('refs/pull/5/merge', '2'));
    if (!wasClientBound(pullRequest)) expect(pullRequest.verdict).toBe('pass');
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
          'prompt-mix': resolve('test/fixtures/mixes/fast.yaml'),
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
      if (wasClientBound(first)) return;
      expect(first.verdict).toBe('no-baseline');
      expect(cache.keys).toHaveLength(1);
      const regressed = await mainRun(slow.url, '2');
      const verdict = wasClientBound(regressed) ? 'inconclusive' : 'regression';
      expect(regressed.verdict).toBe(verdict);
      expect(cache.keys).toHaveLength(1);
      expect(logs.join('\n')).toMatch(
        new RegExp(
          `baseline cache: this run is not kept as a baseline: the gate's verdict was ${verdict}`,
        ),
      );
    } finally {
      await slow.close();
    }
  });
});
