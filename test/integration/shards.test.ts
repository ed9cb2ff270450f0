import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { EXIT_STATUS } from '../../src/exit-status.js';
import type { RunResults } from '../../src/domain/results.js';
import { run } from '../../src/run.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { TINY_MIX } from '../helpers/light-load.js';
import { CLI_ENTRY, makeWorkspace, runNode } from '../helpers/run-action.js';

/**
 * Three shards side by side against one server, merged by the CLI's mode merge, against the same
 * plan unsharded: the request sequence is the same, so counts and token totals must match
 * exactly, and the merged percentiles are those of the pooled shards. Nothing here depends on how
 * fast the runs were, so the file runs beside others (vitest.config.ts). The shards and the
 * unsharded plan run in this process: what is under test is the merge, which runs as a user runs
 * it; shards as separate processes that wait for start-at are test/integration/shard-start.test.ts.
 */
let simulator: Simulator;

beforeAll(async () => {
  // Fast steps: nothing here is judged by speed, and the counts are the same at any pace.
  simulator = await startSimulator({ decodeStepMs: 1, prefillBaseMs: 2, seed: 21, maxBatch: 256 });
});
afterAll(async () => {
  await simulator.close();
});

/** One run of the plan (or of a shard of it) in mode report; resolves to its results. */
async function plan(
  workspace: string,
  resultsPath: string,
  extra: Partial<Record<InputName, string>> = {},
): Promise<RunResults> {
  const inputs: Partial<Record<InputName, string>> = {
    endpoint: simulator.url,
    model: 'sim-llama-8b',
    // Outputs of a few tokens: the counts are the same at any length.
    'prompt-mix': TINY_MIX,
    requests: '200',
    'warmup-requests': '4',
    concurrency: '16',
    'extra-body': '{"ignore_eos": true}',
    mode: 'report',
    'results-path': resultsPath,
    ...extra,
  };
  const outcome = await run(
    parseConfig((name) => inputs[name]),
    { cwd: workspace, env: {}, event: {}, log: () => {}, warn: () => {} },
  );
  // Every request answered: the counts below are the plan's, none lost. The verdict is not this
  // test's subject (three shards in one event loop are the opposite of a light load).
  expect(outcome.results.summary.failed).toBe(0);
  return outcome.results;
}

function merge(workspace: string, extra: string[] = []) {
  return runNode(CLI_ENTRY, ['run', '--mode', 'merge', '--fail-on-regression=false', ...extra], {
    cwd: workspace,
  });
}

describe('sharded load merged with mode merge', () => {
  it('equals one unsharded run of the same plan in counts and tokens', async () => {
    const workspace = makeWorkspace();
    // 200 requests and 16 connections split 67/67/66 and 6/5/5: uneven shares, three parts.
    const shards = await Promise.all(
      [1, 2, 3].map((index) =>
        plan(workspace, join('llm-perf-gate-shards', `shard-${index}`, 'results.json'), {
          shard: `${index}/3`,
        }),
      ),
    );
    expect(shards.map((shard) => shard.summary.requests)).toEqual([67, 67, 66]);
    const merged = await merge(workspace, ['--results-path', 'merged.json']);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.stderr).toContain('merged 200 requests');
    // @actions/glob's debug lines are for runners, not terminals.
    expect(merged.stdout).not.toContain('::debug::');
    const whole = await plan(workspace, 'unsharded.json');

    const combined = JSON.parse(readFileSync(join(workspace, 'merged.json'), 'utf8')) as RunResults;
    expect(combined.summary.requests).toBe(whole.summary.requests);
    expect(combined.summary.outputTokens).toBe(whole.summary.outputTokens);
    expect(combined.summary.distributions.ttft.count).toBe(whole.summary.distributions.ttft.count);
    expect(Object.keys(combined.perClass)).toEqual(Object.keys(whole.perClass));
    for (const name of Object.keys(whole.perClass)) {
      expect(combined.perClass[name]?.requests).toBe(whole.perClass[name]?.requests);
    }
    expect(combined.config.shard).toBeUndefined();
    // A pooled median lies between the shards' own medians (a sum or a mean of encodings
    // would not); unlike a comparison with the unsharded run, this holds on any machine load.
    const shardMedians = shards.map((shard) => shard.summary.distributions.e2e.p50Ms);
    expect(combined.summary.distributions.e2e.p50Ms).toBeGreaterThanOrEqual(
      Math.min(...shardMedians),
    );
    expect(combined.summary.distributions.e2e.p50Ms).toBeLessThanOrEqual(Math.max(...shardMedians));
  });

  it('refuses shards of different plans', async () => {
    // Only the plans' seeds differ; a few requests are enough to write the two results files.
    const workspace = makeWorkspace();
    await plan(workspace, 'llm-perf-gate-shards/a.json', { shard: '1/2', requests: '16' });
    await plan(workspace, 'llm-perf-gate-shards/b.json', {
      shard: '2/2',
      seed: '7',
      requests: '16',
    });
    const merged = await runNode(CLI_ENTRY, ['run', '--mode', 'merge'], { cwd: workspace });
    // Files that are not one plan's shards are a configuration problem (exit-status.ts: usage).
    expect(merged.exitCode).toBe(EXIT_STATUS.usage);
    expect(merged.stderr.trim().split('\n').at(-1)).toMatch(/seed 7 ≠ 42/);
  });
});
