import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/domain/results.js';
import { LIGHT_CONCURRENCY, LIGHT_SERVER, TINY_MIX } from '../helpers/light-load.js';
import { runAction } from '../helpers/run-action.js';
import {
  startSimulatorHost,
  type SimulatorHost,
  type SimulatorProcess,
} from '../helpers/simulator-process.js';

/**
 * Paired A/B as a user runs it: the built action (node dist/index.js, INPUT_* variables) against
 * two simulators in another process that share one wandering slowdown (same slowdown seed and
 * start), each with its own jitter, over real HTTP and SSE.
 */

let host: SimulatorHost;
let reference: SimulatorProcess;
let same: SimulatorProcess;
let slower: SimulatorProcess;
let failing: SimulatorProcess;
let keyed: SimulatorProcess;
let otherModel: SimulatorProcess;

beforeAll(async () => {
  host = await startSimulatorHost();
  // A light load (test/helpers/light-load.ts): one client measures both sides.
  const shared = {
    ...LIGHT_SERVER,
    slowdownSigma: 0.05,
    slowdownSeed: 9,
    slowdownStartEpochMs: Date.now(),
  };
  [reference, same, slower, failing, keyed, otherModel] = await Promise.all([
    host.start({ ...shared, seed: 1 }),
    host.start({ ...shared, seed: 2 }),
    host.start({ ...shared, seed: 3, ttftScale: 3 }),
    host.start({ ...shared, seed: 4, faults: { http500: 0.3 } }),
    host.start({ ...shared, seed: 5, apiKey: 'sk-right-key' }),
    host.start({ ...shared, seed: 6, model: 'sim-other-model' }),
  ]);
}, 60_000);

afterAll(async () => {
  await host.close();
});

function inputs(candidate: string, referenceUrl: string, extra: Record<string, string> = {}) {
  return {
    endpoint: candidate,
    'reference-endpoint': referenceUrl,
    model: 'sim-llama-8b',
    'prompt-mix': TINY_MIX,
    requests: '200',
    'warmup-requests': '8',
    concurrency: LIGHT_CONCURRENCY,
    // The median with room to spare (3× prefill is +200%); errors too. 200 pairs cannot see
    // +1 pp of errors: a blind spot named, not this test's subject.
    thresholds: 'ttft.p95: off\nttft.p50: +50%\noutput_tokens_per_second: off',
    'on-low-sensitivity': 'pass',
    comment: 'never',
    ...extra,
  };
}

describe('paired A/B against a live reference', () => {
  it('passes an unchanged candidate and fails a slower one, reference side by side', async () => {
    const unchanged = await runAction(inputs(same.url, reference.url));
    expect(unchanged.stderr).toBe('');
    expect(unchanged.outputs.verdict).toBe('pass');
    expect(unchanged.exitCode).toBe(0);
    expect(unchanged.summary).toContain('Reference');
    expect(unchanged.summary).toContain(`with the reference ${reference.url}`);
    const results = JSON.parse(
      readFileSync(join(unchanged.workspace, 'llm-perf-gate-results.json'), 'utf8'),
    ) as RunResults;
    expect(results.paired?.reference.config.endpoint).toBe(reference.url);
    expect(results.paired?.pairs).toBe(results.summary.requests);
    expect(results.paired?.logVariancePerPair['ttft.p50']).toBeGreaterThan(0);

    const regressed = await runAction(inputs(slower.url, reference.url));
    expect(regressed.outputs.verdict).toBe('regression');
    expect(regressed.exitCode).toBe(1);
    expect(regressed.summary).toMatch(/TTFT p50/);
  }, 120_000);

  it('judges nothing when the reference itself fails, and says so in one line', async () => {
    const result = await runAction(inputs(same.url, failing.url));
    expect(result.outputs.verdict).toBe('unhealthy');
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(/the reference endpoint failed [\d.]+%/);
    expect(result.stdout).toMatch(/nothing judged/);
  }, 120_000);

  it('names the reference input that is wrong before any load: URL, key, model', async () => {
    const unreachable = await runAction(inputs(same.url, 'http://127.0.0.1:9/v1'));
    const wrongKey = await runAction(
      inputs(same.url, keyed.url, { 'reference-api-key': 'sk-wrong-key' }),
    );
    const wrongModel = await runAction(inputs(same.url, otherModel.url));
    for (const [result, input] of [
      [unreachable, 'reference-endpoint'],
      [wrongKey, 'reference-api-key'],
      [wrongModel, 'reference-model'],
    ] as const) {
      expect(result.exitCode, result.stdout).not.toBe(0);
      const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(input);
      expect(result.stdout).not.toContain('sk-wrong-key');
      expect(result.outputs.verdict ?? '').not.toBe('pass');
    }
  }, 120_000);
});
