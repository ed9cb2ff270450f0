import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { EXIT_STATUS } from '../../src/exit-status.js';
import { run } from '../../src/run.js';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../src/simulator/index.js';
import { LIGHT_CONCURRENCY, LIGHT_SERVER, TINY_MIX } from '../helpers/light-load.js';

/** update-baseline against failing servers: refused in one line, and no baseline file written. */
/** Per trial: 20% errors are far above the 5% ceiling, 10% far below 30%, even in 50 requests. */
const REQUESTS = 50;
let simulator: Simulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function updateBaseline(
  server: SimulatorOptions,
  extra: Partial<Record<InputName, string>> = {},
) {
  // A light load: the error rates are the point here, and a client that is not the bottleneck.
  simulator = await startSimulator({ ...LIGHT_SERVER, seed: 11, ...server });
  const workspace = mkdtempSync(join(tmpdir(), 'lpg-admission-'));
  const inputs: Partial<Record<InputName, string>> = {
    endpoint: simulator.url,
    model: 'sim-llama-8b',
    'prompt-mix': TINY_MIX,
    mode: 'update-baseline',
    requests: String(REQUESTS),
    concurrency: LIGHT_CONCURRENCY,
    'baseline-trials': '2',
    'warmup-requests': '4',
    'accept-noisy-baseline': 'true',
    ...extra,
  };
  const config = parseConfig((name) => inputs[name]);
  const outcome = await run(config, {
    cwd: workspace,
    env: {},
    event: {},
    log: () => {},
    warn: () => {},
  });
  return { ...outcome, baselines: written(join(workspace, 'baselines')) };
}

const written = (folder: string) => (existsSync(folder) ? readdirSync(folder) : []);

describe('update-baseline admits healthy runs only', () => {
  it('refuses a run where every request failed (unhealthy, exit 3)', async () => {
    const { verdict, failure, exitStatus, baselines } = await updateBaseline({
      faults: { http500: 1 },
    });
    expect(verdict).toBe('unhealthy');
    expect(exitStatus).toBe(EXIT_STATUS.unhealthy);
    expect(failure).toMatch(/^unhealthy: every (warm-up|measured) request failed \(http_5xx/);
    expect(baselines).toEqual([]);
  });

  it('refuses a run with 20% errors, naming the rate and the ceiling', async () => {
    const done = await updateBaseline({ faults: { http500: 0.2 } });
    expect(done.verdict).toBe('inconclusive');
    expect(done.exitStatus).toBe(EXIT_STATUS.gateFailed);
    expect(done.baselines).toEqual([]);
    expect(done.failure).toMatch(
      /^baseline not updated: (error rate \d+\.\d% \(\d+ of 100 failed\) is above|trial \d of 2 had error rate \d+\.\d% \(\d+ of 50 failed\), above) baseline-max-error-rate 5\.0%; a baseline must be a clean run$/,
    );
  });

  it('writes it when the ceiling allows the errors', async () => {
    const done = await updateBaseline(
      { faults: { http500: 0.1 } },
      { 'baseline-max-error-rate': '30%' },
    );
    expect(done.verdict, done.failure).toBe('updated');
    expect(done.baselines).toHaveLength(1);
  });

  it('refuses a run whose load generator was the bottleneck, whatever its figures', async () => {
    // The simulator shares this process and holds its event loop 80 ms per request: the
    // client's timers fire that late on every request, on an idle machine as on a busy one.
    const done = await updateBaseline(
      { blockEventLoopMsPerRequest: 80 },
      { requests: '10', 'baseline-trials': '1' },
    );
    expect(done.results.selfCheck.saturated).toBe(true);
    expect(done.results.selfCheck.reasons.join('; ')).toMatch(/timer lag p99/);
    expect(done.verdict).toBe('inconclusive');
    expect(done.exitStatus).toBe(EXIT_STATUS.gateFailed);
    expect(done.failure).toMatch(/^baseline not updated: the load generator was the bottleneck/);
    expect(done.baselines).toEqual([]);
  });
});
