import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { EXIT_STATUS } from '../../src/exit-status.js';
import { run, type RunContext } from '../../src/run.js';
import { LIGHT_SERVER, TINY_MIX } from '../helpers/light-load.js';
import { makeWorkspace } from '../helpers/run-action.js';
import {
  startSimulatorHost,
  type SimulatorHost,
  type SimulatorProcess,
} from '../helpers/simulator-process.js';

/**
 * Measure until decided, end to end: a gate run with a baseline looks after each block of its
 * request budget, over real HTTP against the simulator, and stops once the verdict is decided,
 * keeping every answer that was in flight.
 */
/** Two looks, at 200 and 400 measured requests. */
const BUDGET = 400;

let host: SimulatorHost;
let same: SimulatorProcess;
let slower: SimulatorProcess;

beforeAll(async () => {
  // A light load (test/helpers/light-load.ts), its server in another process so that this one
  // only measures: eight streams keep a budget of 400 to a few seconds. The verdicts below are
  // about the server, whose slower copy takes three times as long to prefill.
  host = await startSimulatorHost();
  [same, slower] = await Promise.all([
    host.start({ ...LIGHT_SERVER, seed: 21 }),
    host.start({ ...LIGHT_SERVER, ttftScale: 3, seed: 22 }),
  ]);
});

afterAll(async () => {
  await host.close();
});

function inputs(endpoint: string, mode: string): Partial<Record<InputName, string>> {
  return {
    endpoint,
    model: 'sim-llama-8b',
    hardware: 'loopback',
    'prompt-mix': TINY_MIX,
    mode,
    requests: String(BUDGET),
    'warmup-requests': '8',
    concurrency: '8',
    'baseline-trials': '1',
    // The simulator shares this process: on a busy machine its own timers slip, and a tail
    // moves by half. So the median with room to spare (a 3× slower prefill is +200%), and
    // errors; tokens/s moves with the machine's load.
    thresholds: 'ttft.p95: off\nttft.p50: +100%\noutput_tokens_per_second: off',
    // 400 requests cannot see +1 pp of errors: a blind spot named, not this test's subject.
    'accept-noisy-baseline': 'true',
    'on-low-sensitivity': 'pass',
  };
}

describe('a gate run with a baseline measures until decided', () => {
  it('stops at the first look that decides, for a pass and for a regression', async () => {
    const workspace = makeWorkspace();
    const lines: string[] = [];
    const context: RunContext = {
      cwd: workspace,
      env: {},
      event: {},
      log: (line) => lines.push(line),
      warn: () => {},
    };
    const runWith = (endpoint: string, mode: string) => {
      const given = inputs(endpoint, mode);
      return run(
        parseConfig((name) => given[name]),
        context,
      );
    };
    const update = await runWith(same.url, 'update-baseline');
    expect(update.verdict, update.failure).toBe('updated');

    const slow = await runWith(slower.url, 'gate');
    expect(slow.verdict, slow.failure).toBe('regression');
    expect(slow.exitStatus).toBe(EXIT_STATUS.gateFailed);
    // Three times the prefill is decided at the first look: 200 requests and those in flight.
    expect(slow.results.sequential).toEqual({ looks: [200, 400], stoppedAtLook: 1 });
    expect(slow.results.summary.requests).toBeGreaterThanOrEqual(200);
    expect(slow.results.summary.requests).toBeLessThan(BUDGET);
    // A drained stop loses nothing: every request that started was answered.
    expect(slow.results.summary.failed).toBe(0);
    expect(lines).toContain(`look 1/2 at 200 requests: decided (regression), stopping`);

    const unchanged = await runWith(same.url, 'gate');
    expect(unchanged.verdict, unchanged.failure).toBe('pass');
    const { sequential } = unchanged.results;
    expect(sequential?.looks).toEqual([200, 400]);
    // Stopped early, or judged at the budget: either way the record matches what was measured.
    if (sequential?.stoppedAtLook === undefined) {
      expect(unchanged.results.summary.requests).toBe(BUDGET);
    } else {
      expect(unchanged.results.summary.requests).toBeLessThan(BUDGET);
    }
  });
});
