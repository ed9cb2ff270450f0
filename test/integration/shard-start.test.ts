import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import type { RunResults } from '../../src/domain/results.js';
import { run } from '../../src/run.js';
import { LIGHT_CONCURRENCY, LIGHT_SERVER, TINY_MIX } from '../helpers/light-load.js';
import { CLI_ENTRY, makeWorkspace, runNode } from '../helpers/run-action.js';
import {
  startSimulatorHost,
  type SimulatorHost,
  type SimulatorProcess,
} from '../helpers/simulator-process.js';

/**
 * Matrix jobs start seconds apart. Shards that wait for one start-at measure together and merge
 * into the figures of one unsharded run of the plan (the merge gate passes against it); shards
 * that start apart without it are refused as inconclusive, never reported as a regression.
 */
const MIX = TINY_MIX;
/**
 * Each shard measures for DURATION; the second starts STAGGER_MS after the first. Without start-at
 * their windows overlap about (3 − 1.5) / (3 + 1.5) = 33%, far below the 90% a merge needs; with
 * it they start within milliseconds and end within a request (about 70 ms) of each other.
 */
const DURATION = '3s';
const STAGGER_MS = 1500;
/**
 * How long after its launch the second shard has to reach its wait for start-at: a process start
 * takes under a second idle, several on a machine whose cores are busy. The baseline, recorded
 * meanwhile (about 3.5 s), is done by then. A shard that started later than that never waited,
 * so the case was not set up; it is set up again with twice the time, up to MAX_MARGIN_MS.
 */
const START_MARGIN_MS = 5000;
const MAX_MARGIN_MS = 20_000;
/**
 * The server in a process of its own: this one records the baseline, and a shard's start must
 * not wait for it.
 */
let host: SimulatorHost;
let simulator: SimulatorProcess;

beforeAll(async () => {
  host = await startSimulatorHost();
  // A light load (test/helpers/light-load.ts): the merge judges what the shards measured.
  simulator = await host.start({ ...LIGHT_SERVER, seed: 23, maxBatch: 256 });
});
afterAll(async () => {
  await host.close();
});

function plan(workspace: string, extra: string[]) {
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
      '100000',
      '--duration',
      DURATION,
      '--warmup-requests',
      '8',
      '--concurrency',
      LIGHT_CONCURRENCY,
      '--extra-body',
      '{"ignore_eos": true}',
      ...extra,
    ],
    { cwd: workspace },
  );
}

/** The unsharded plan's baseline, recorded in this process (the shards are the processes under
 * test). */
async function recordBaseline(workspace: string): Promise<void> {
  const inputs: Record<string, string> = {
    endpoint: simulator.url,
    model: 'sim-llama-8b',
    'prompt-mix': MIX,
    requests: '100000',
    duration: DURATION,
    'warmup-requests': '8',
    concurrency: LIGHT_CONCURRENCY,
    'extra-body': '{"ignore_eos": true}',
    mode: 'update-baseline',
    'baseline-trials': '1',
    'accept-noisy-baseline': 'true',
  };
  const outcome = await run(
    parseConfig((name) => inputs[name]),
    { cwd: workspace, env: {}, event: {}, log: () => {}, warn: () => {} },
  );
  expect(outcome.verdict, outcome.failure).toBe('updated');
}

/** Two shards of the plan, the second launched `staggerMs` after the first. */
async function staggeredShards(workspace: string, extra: string[], staggerMs = STAGGER_MS) {
  const shard = (index: number) =>
    plan(workspace, [
      '--mode',
      'report',
      '--shard',
      `${index}/2`,
      '--results-path',
      join('llm-perf-gate-shards', `shard-${index}.json`),
      ...extra,
    ]);
  const first = shard(1);
  await sleep(staggerMs);
  const results = await Promise.all([first, shard(2)]);
  for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
  return results;
}

function readMerged(workspace: string): RunResults {
  return JSON.parse(
    readFileSync(join(workspace, 'llm-perf-gate-results.json'), 'utf8'),
  ) as RunResults;
}

function merge(workspace: string) {
  // A few seconds of load cannot see twice every threshold: judge the regression question only,
  // with room for a busy machine (throughput is the one default judged at this size).
  return runNode(
    CLI_ENTRY,
    [
      'run',
      '--mode',
      'merge',
      '--on-low-sensitivity',
      'pass',
      '--thresholds',
      'output_tokens_per_second: -50%',
    ],
    { cwd: workspace },
  );
}

describe('shards and start-at', () => {
  it('shards started apart but waiting for start-at merge into the unsharded run’s figures', async () => {
    const workspace = makeWorkspace();
    let baselineWritten = false;
    for (let margin = START_MARGIN_MS; ; margin *= 2) {
      const startAt = ((Date.now() + STAGGER_MS + margin) / 1000).toFixed(3);
      const shards = staggeredShards(workspace, ['--start-at', startAt]);
      // While the shards start and wait: written well before they measure.
      if (!baselineWritten) {
        await recordBaseline(workspace);
        baselineWritten = true;
      }
      const logs = (await shards).map((shard) => shard.stderr);
      const waited = logs.every((log) => /start-at: waiting \d+\.\d s until/.test(log));
      if (waited || margin * 2 > MAX_MARGIN_MS) {
        for (const log of logs) {
          expect(log).toMatch(/start-at: waiting \d+\.\d s until/);
          expect(log).not.toMatch(/warning: start-at/);
        }
        break;
      }
    }

    const merged = await merge(workspace);
    const results = readMerged(workspace);
    expect(results.shards?.overlap).toBeGreaterThanOrEqual(0.9);
    expect(merged.stderr).not.toMatch(/overlapped only/);
    // Judged, not refused: a pass against the unsharded run.
    expect(results.selfCheck.saturated).toBe(false);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/PASS/);
  });

  it('shards started apart without start-at are inconclusive, not a regression', async () => {
    // Launched apart is not always measured apart: on a busy machine the first process can take
    // as long to start as the stagger. When the windows still overlapped, the case was not set
    // up; it is set up again with three times the stagger, longer than a shard's window.
    let workspace = makeWorkspace();
    await staggeredShards(workspace, []);
    let merged = await merge(workspace);
    if ((readMerged(workspace).shards?.overlap ?? 0) >= 0.9) {
      workspace = makeWorkspace();
      await staggeredShards(workspace, [], STAGGER_MS * 3);
      merged = await merge(workspace);
    }
    expect(readMerged(workspace).shards?.overlap).toBeLessThan(0.9);
    expect(merged.exitCode).toBe(1);
    const lastLine = merged.stderr.trim().split('\n').at(-1) ?? '';
    expect(lastLine).toMatch(
      /^error: inconclusive: the shards' measured windows overlapped only \d+% \(at least 90% needed\): shard 1\/2 at \S+ \(\+0\.0 s\), shard 2\/2 at \S+ \(\+\d\.\d s\)/,
    );
    expect(merged.stdout).toMatch(/INCONCLUSIVE/);
    expect(merged.stdout).not.toMatch(/REGRESSION/);
  });
});
