import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { EXIT_STATUS } from '../../src/exit-status.js';
import { run } from '../../src/run.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { wasClientBound } from '../helpers/busy-machine.js';

/** update-baseline against failing servers: refused in one line, and no baseline file written. */
/** Per trial: 20% errors are far above the 5% ceiling, 10% far below 30%, even in 50 requests. */
const REQUESTS = 50;
let simulator: Simulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function updateBaseline(http500: number, extra: Partial<Record<InputName, string>> = {}) {
  // Fast answers: the error rates are the point here, not the timing.
  simulator = await startSimulator({
    prefillBaseMs: 2,
    decodeStepMs: 1,
    seed: 11,
    faults: { http500 },
  });
  const workspace = mkdtempSync(join(tmpdir(), 'lpg-admission-'));
  const inputs: Partial<Record<InputName, string>> = {
    endpoint: simulator.url,
    model: 'sim-llama-8b',
    'prompt-mix': resolve('test/fixtures/mixes/fast.yaml'),
    mode: 'update-baseline',
    requests: String(REQUESTS),
    // Light client load: on a busy machine a saturated client is refused first (accepted below).
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

/**
 * A load generator that was the bottleneck (a machine too busy to measure) makes any run
 * inconclusive and refused as a baseline, whatever its errors: the one alternative accepted.
 */
function refusedAsClientBound(done: Awaited<ReturnType<typeof run>>, baselines: string): boolean {
  if (!wasClientBound(done)) return false;
  expect(done.failure).toMatch(/the load generator was the bottleneck/);
  expect(written(baselines)).toEqual([]);
  return true;
}

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
    const done = await outcome;
    expect(done.verdict).toBe('inconclusive');
    expect(done.exitStatus).toBe(EXIT_STATUS.gateFailed);
    expect(written(baselines)).toEqual([]);
    if (refusedAsClientBound(done, baselines)) return;
    expect(done.failure).toMatch(
      /^baseline not updated: (error rate \d+\.\d% \(\d+ of 100 failed\) is above|trial \d of 2 had error rate \d+\.\d% \(\d+ of 50 failed\), above) baseline-max-error-rate 5\.0%; a baseline must be a clean run$/,
    );
  });

  it('writes it when the ceiling allows the errors', async () => {
    const { outcome, baselines } = await updateBaseline(0.1, { 'baseline-max-error-rate': '30%' });
    const done = await outcome;
    if (refusedAsClientBound(done, baselines)) return;
    expect(done.verdict, done.failure).toBe('updated');
    expect(written(baselines)).toHaveLength(1);
  });
});
