import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/results/types.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CLI_ENTRY, makeWorkspace, runNode } from '../helpers/run-action.js';

/**
 * A server that runs at most 8 sequences at once: below 8 streams throughput grows with load,
 * above it requests queue and TTFT climbs while tokens/s stays flat. The knee is at 8.
 */
const MIX = resolve('test/fixtures/mixes/fast.yaml');
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({
    maxBatch: 8,
    decodeStepMs: 3,
    decodeStepMsPerSequence: 0,
    jitter: 0.02,
    seed: 31,
  });
});
afterAll(async () => {
  await simulator.close();
});

/** Runs the CLI's sweep over concurrency 2, 8, 32 and reads back its results file. */
async function sweep(extra: string[]) {
  const workspace = makeWorkspace();
  const result = await runNode(
    CLI_ENTRY,
    [
      'run',
      '--endpoint',
      simulator.url,
      '--model',
      'sim-llama-8b',
      '--prompt-mix',
      MIX,
      '--concurrency',
      '2,8,32',
      '--mode',
      'report',
      '--results-path',
      'sweep.json',
      ...extra,
    ],
    { cwd: workspace },
  );
  expect(result.exitCode, result.stderr).toBe(0);
  const results = JSON.parse(readFileSync(join(workspace, 'sweep.json'), 'utf8')) as RunResults;
  return { stdout: result.stdout, results };
}

describe('a concurrency sweep', () => {
  it('reports the curve and finds the knee where the batch cap is', async () => {
    const { stdout, results } = await sweep([
      '--requests',
      '160',
      '--warmup-requests',
      '4',
      '--extra-body',
      '{"ignore_eos": true}',
    ]);
    expect(stdout).toContain('Sweep:');
    const levels = results.sweep?.levels ?? [];
    expect(levels.map((level) => level.level)).toEqual([2, 8, 32]);
    const [low, mid, high] = levels;
    expect(mid!.summary.outputTokensPerSecond).toBeGreaterThan(
      low!.summary.outputTokensPerSecond * 2.5,
    );
    expect(high!.summary.outputTokensPerSecond).toBeLessThan(
      mid!.summary.outputTokensPerSecond * 1.3,
    );
    expect(high!.summary.distributions.ttft.p95Ms).toBeGreaterThan(
      mid!.summary.distributions.ttft.p95Ms * 2,
    );
    expect(results.sweep?.knee?.level).toBe(8);
    expect(results.summary.requests).toBe(160);
  });

  it('with an SLO, the knee is the highest level that meets it', async () => {
    const { results } = await sweep(['--requests', '120', '--slo-ttft', '60ms']);
    expect(results.sweep?.knee?.level).toBe(8);
    expect(results.sweep?.knee?.reason).toMatch(/beyond it, c=32: misses the SLOs/);
  });
});
