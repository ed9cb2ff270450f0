import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { EXIT_STATUS } from '../../src/exit-status.js';
import { run } from '../../src/run.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

/** update-baseline against failing servers: refused in one line, and no baseline file written. */
let simulator: Simulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function updateBaseline(http500: number, extra: Partial<Record<InputName, string>> = {}) {
  simulator = await startSimulator({ decodeStepMs: 4, seed: 11, faults: { http500 } });
  const workspace = mkdtempSync(join(tmpdir(), 'lpg-admission-'));
  const inputs: Partial<Record<InputName, string>> = {
    endpoint: simulator.url,
    model: 'sim-llama-8b',
    'prompt-mix': resolve('test/fixtures/mixes/fast.yaml'),
    mode: 'update-baseline',
    requests: '150',
    // Light client load: on a busy machine a saturated client would be refused first.
    concurrency: '4',
    'baseline-trials': '2',
    'warmup-requests': '4',
    'accept-noisy-baseline': 'true',
    ...extra,
  };
  const config = parseConfig((name) => inputs[name]);
  const outcome = run(config, {
    cwd: workspace,
    env: {},
    event: {},
    log: () => {},
    warn: () => {},
  });
  return { outcome, baselines: join(workspace, 'baselines') };
}

const written = (folder: string) => (existsSync(folder) ? readdirSync(folder) : []);

describe('update-baseline admits healthy runs only', () => {
  it('refuses a run where every request failed (unhealthy, exit 3)', async () => {
    const { outcome, baselines } = await updateBaseline(1);
    const { verdict, failure, exitStatus } = await outcome;
    expect(verdict).toBe('unhealthy');
    expect(exitStatus).toBe(EXIT_STATUS.unhealthy);
    expect(failure).toMatch(/^unhealthy: every (warm-up|measured) request failed \(http_5xx/);
    expect(written(baselines)).toEqual([]);
  });

  it('refuses a run with 20% errors, naming the rate and the ceiling', async () => {
    const { outcome, baselines } = await updateBaseline(0.2);
    const { verdict, failure, exitStatus } = await outcome;
    expect(verdict).toBe('inconclusive');
    expect(exitStatus).toBe(EXIT_STATUS.gateFailed);
    expect(failure).toMatch(
      /^baseline not updated: (error rate \d+\.\d% \(\d+ of 300 failed\) is above|trial \d of 2 had error rate \d+\.\d% \(\d+ of 150 failed\), above) baseline-max-error-rate 5\.0%; a baseline must be a clean run$/,
    );
    expect(written(baselines)).toEqual([]);
  });

  it('writes it when the ceiling allows the errors', async () => {
    const { outcome, baselines } = await updateBaseline(0.1, { 'baseline-max-error-rate': '30%' });
    const done = await outcome;
    expect(done.verdict, done.failure).toBe('updated');
    expect(written(baselines)).toHaveLength(1);
  });
});
