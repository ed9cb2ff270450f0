import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { BaselineError } from '../../src/errors.js';
import { run } from '../../src/run.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

/** update-baseline against failing servers: refused in one line, and no baseline file written. */
let simulator: Simulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function updateBaseline(http500: number, extra: Partial<Record<InputName, string>> = {}) {
  simulator = await startSimulator({ decodeStepMs: 4, seed: 5, faults: { http500 } });
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
  const outcome = run(config, { cwd: workspace, env: {}, log: () => {}, warn: () => {} });
  return { outcome, baselines: join(workspace, 'baselines') };
}

const written = (folder: string) => (existsSync(folder) ? readdirSync(folder) : []);

describe('update-baseline admits healthy runs only', () => {
  it('refuses a run where every request failed', async () => {
    const { outcome, baselines } = await updateBaseline(1);
    await expect(outcome).rejects.toThrow(BaselineError);
    await expect(outcome).rejects.toThrow(
      /^baseline not updated: .*; a baseline must be a clean run$/,
    );
    expect(written(baselines)).toEqual([]);
  });

  it('refuses a run with 20% errors, naming the rate and the ceiling', async () => {
    const { outcome, baselines } = await updateBaseline(0.2);
    await expect(outcome).rejects.toThrow(
      /^baseline not updated: (error rate \d+\.\d% \(\d+ of 300 failed\)|trial \d of 2 had error rate \d+\.\d% \(\d+ of 150 failed\)),? (is )?above baseline-max-error-rate 5\.0%; a baseline must be a clean run$/,
    );
    expect(written(baselines)).toEqual([]);
  });

  it('writes it when the ceiling allows the errors', async () => {
    const { outcome, baselines } = await updateBaseline(0.1, { 'baseline-max-error-rate': '30%' });
    expect((await outcome).verdict).toBe('updated');
    expect(written(baselines)).toHaveLength(1);
  });
});
