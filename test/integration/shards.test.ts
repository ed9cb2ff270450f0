import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { EXIT_STATUS } from '../../src/exit-status.js';
import type { RunResults } from '../../src/results/types.js';
import { CLI_ENTRY, makeWorkspace, runNode } from '../helpers/run-action.js';

/**
 * Four shards side by side against one server, merged, against the same plan unsharded: the
 * request sequence is the same, so counts and token totals must match exactly, and the merged
 * percentiles are those of the pooled shards. Nothing here depends on how fast the runs were,
 * so the file runs beside others (vitest.config.ts).
 */
const MIX = resolve('test/fixtures/mixes/fast.yaml');
let simulator: Simulator;

beforeAll(async () => {
  // Fast steps: nothing here is judged by speed, and the counts are the same at any pace.
  simulator = await startSimulator({ decodeStepMs: 1, prefillBaseMs: 2, seed: 21, maxBatch: 256 });
});
afterAll(async () => {
  await simulator.close();
});

function plan(workspace: string, extra: string[], requests = 200) {
  return runNode(
    CLI_ENTRY,
    [
      'run',
      '--endpoint',
      simulator.url,
      '--model',
      'sim-llama-8b',
      '--prompt-mix',
      MIX,
      '--requests',
      String(requests),
      '--warmup-requests',
      '4',
      '--concurrency',
      '16',
      '--extra-body',
      '{"ignore_eos": true}',
      '--mode',
      'report',
      // A busy machine may trip the load generator's self-check (verdict inconclusive, exit 1):
      // the verdict is not what this test is about, the counts are.
      '--fail-on-regression=false',
      ...extra,
    ],
    { cwd: workspace },
  );
}

describe('sharded load merged with mode merge', () => {
  it('equals one unsharded run of the same plan in counts and tokens', async () => {
    const workspace = makeWorkspace();
    // Processes start a second or so apart on a busy machine: the shards wait for one start. A
    // shard that starts later than that starts at once, which changes no count.
    const startAt = ((Date.now() + 2000) / 1000).toFixed(3);
    const shards = await Promise.all(
      [1, 2, 3, 4].map((index) =>
        plan(workspace, [
          '--shard',
          `${index}/4`,
          '--start-at',
          startAt,
          // Counts and tokens are the point here: a busy machine may flag a shard's client as the
          // bottleneck (inconclusive), which must not fail the test.
          '--fail-on-regression',
          'false',
          '--results-path',
          join('llm-perf-gate-shards', `shard-${index}`, 'results.json'),
        ]),
      ),
    );
    for (const shard of shards) expect(shard.exitCode, shard.stderr).toBe(0);
    const merged = await runNode(
      CLI_ENTRY,
      ['run', '--mode', 'merge', '--results-path', 'merged.json', '--fail-on-regression=false'],
      { cwd: workspace },
    );
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.stderr).toContain('merged 200 requests');
    // @actions/glob's debug lines are for runners, not terminals.
    expect(merged.stdout).not.toContain('::debug::');
    const unsharded = await plan(workspace, ['--results-path', 'unsharded.json']);
    expect(unsharded.exitCode, unsharded.stderr).toBe(0);

    const read = (name: string) =>
      JSON.parse(readFileSync(join(workspace, name), 'utf8')) as RunResults;
    const whole = read('unsharded.json');
    const combined = read('merged.json');
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
    const shardMedians = [1, 2, 3, 4].map(
      (index) =>
        read(join('llm-perf-gate-shards', `shard-${index}`, 'results.json')).summary.distributions
          .e2e.p50Ms,
    );
    expect(combined.summary.distributions.e2e.p50Ms).toBeGreaterThanOrEqual(
      Math.min(...shardMedians),
    );
    expect(combined.summary.distributions.e2e.p50Ms).toBeLessThanOrEqual(Math.max(...shardMedians));
  });

  it('refuses shards of different plans', async () => {
    // Only the plans' seeds differ; a few requests are enough to write the two results files.
    const workspace = makeWorkspace();
    await plan(workspace, ['--shard', '1/2', '--results-path', 'llm-perf-gate-shards/a.json'], 16);
    await plan(
      workspace,
      ['--shard', '2/2', '--seed', '7', '--results-path', 'llm-perf-gate-shards/b.json'],
      16,
    );
    const merged = await runNode(CLI_ENTRY, ['run', '--mode', 'merge'], { cwd: workspace });
    // Files that are not one plan's shards are a configuration problem (exit-status.ts: usage).
    expect(merged.exitCode).toBe(EXIT_STATUS.usage);
    expect(merged.stderr.trim().split('\n').at(-1)).toMatch(/seed 7 ≠ 42/);
  });
});
