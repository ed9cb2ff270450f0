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

describe('a concurrency sweep', () => {
  it('reports the curve and finds the knee where the batch cap is', async () => {
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
        '--requests',
        '160',
        '--warmup-requests',
        '4',
        '--extra-body',
        '{"ignore_eos": true}',
        '--mode',
        'report',
        '--results-path',
        'sweep.json',
      ],
      { cwd: workspace },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Sweep:');
    const results = JSON.parse(readFileSync(join(workspace, 'sweep.json'), 'utf8')) as RunResults;
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
        '--requests',
        '120',
        '--mode',
        'report',
        '--slo-ttft',
        '60ms',
        '--results-path',
        'sweep.json',
      ],
      { cwd: workspace },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(workspace, 'sweep.json'), 'utf8')) as RunResults;
    expect(results.sweep?.knee).toEqual({ level: 8, reason: 'highest level that meets the SLOs' });
  });
});
