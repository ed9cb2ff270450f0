import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/domain/results.js';
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
    // Decode steps of 5 ms: few events per second for the client even at 8 streams, so its own
    // work moves no figure. TTFT is mostly a 20 ms prefill, so a few late timers on a busy
    // machine move a p95 by a fraction, never by the ×3 that would make c=8 look not worth its
    // load; the waiting beyond the cap (three requests of about 180 ms) is far larger.
    prefillBaseMs: 20,
    decodeStepMs: 5,
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
  const results = JSON.parse(readFileSync(join(workspace, 'sweep.json'), 'utf8')) as RunResults;
  return { ...result, results };
}

function expectCurve(run: Awaited<ReturnType<typeof sweep>>) {
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  const levels = run.results.sweep?.levels ?? [];
  expect(levels.map((level) => level.level)).toEqual([2, 8, 32]);
  expect(levels.map((level) => level.selfCheck.saturated)).toEqual([false, false, false]);
}

describe('a concurrency sweep', () => {
  it('reports the curve and finds the knee where the batch cap is', async () => {
    const run = await sweep([
      '--requests',
      '40',
      '--warmup-requests',
      '4',
      '--extra-body',
      '{"ignore_eos": true}',
    ]);
    expect(run.stdout).toContain('Sweep:');
    expect(run.results.summary.requests).toBe(40);
    expectCurve(run);
    const [low, mid, high] = run.results.sweep!.levels;
    // Ideally ×4 from 2 to 8 streams and ×1 beyond the batch cap. At 8 a slot stays idle
    // between a response and the client's next request (longer on a busy machine: ×2.2 was
    // seen under twice the stated load), which the queue at 32 hides: flat here means well
    // under the growth below the cap.
    expect(mid!.summary.outputTokensPerSecond).toBeGreaterThan(
      low!.summary.outputTokensPerSecond * 1.8,
    );
    expect(high!.summary.outputTokensPerSecond).toBeLessThan(
      mid!.summary.outputTokensPerSecond * 1.5,
    );
    // At 32 streams a request waits for about three others to finish: far beyond prefill.
    expect(high!.summary.distributions.ttft.p95Ms).toBeGreaterThan(
      mid!.summary.distributions.ttft.p95Ms * 2,
    );
    expect(run.results.sweep?.knee?.level).toBe(8);
  });

  it('with an SLO, the knee is the highest level that meets it', async () => {
    // TTFT p95 is about 40 ms at c=8 and over 500 ms at c=32, where a request waits for three
    // others to finish: the SLO lies between them, nearer c=32, since a busy machine delays
    // every level's first tokens.
    const run = await sweep(['--requests', '40', '--slo-ttft', '300ms']);
    expectCurve(run);
    expect(run.results.sweep?.knee?.level).toBe(8);
    expect(run.results.sweep?.knee?.reason).toMatch(/beyond it, c=32: misses the SLOs/);
  });
});
