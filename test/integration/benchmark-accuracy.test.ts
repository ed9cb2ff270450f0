import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark, type BenchmarkOutcome } from '../../src/benchmark.js';
import { parseMeasureConfig } from '../../src/config/parse.js';
import type { SimulatorStats } from '../../src/simulator/index.js';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.js';
import { loadMix } from '../../src/workload/index.js';

/**
 * The figures must agree with the server's own clock: what the simulator logs as its first-token
 * write and end of stream is the truth the client measures from the other side of the socket.
 * How close they come on an idle machine, request by request and in the tail, is a timing claim:
 * `npm run bench` measures it (bench/results/client.md, TTFT error). Here, what holds on any
 * machine: no figure comes before the server's, and the medians differ by no more than 5 ms plus
 * the lag the client measured in its own event loop (its self-check), which on an idle machine is
 * about a millisecond.
 */
const REQUESTS = 120;
const WARMUP = 8;
/** The fast mix: short outputs keep the run to about two seconds. */
const MIX = 'test/fixtures/mixes/fast.yaml';

/** The p-th percentile as the gate reads one (rank ⌈p·n⌉). */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.ceil(p * sorted.length) - 1] ?? NaN;
}

describe('benchmark figures agree with the server', () => {
  let simulator: SimulatorProcess;
  let serverStats: SimulatorStats;
  let outcome: BenchmarkOutcome;
  const logLines: string[] = [];

  beforeAll(async () => {
    simulator = await startSimulatorProcess({ apiKey: 'sk-accuracy-key', seed: 3 });
    const config = parseMeasureConfig(
      (name) =>
        ({
          endpoint: simulator.url,
          model: 'sim-llama-8b',
          'api-key': 'sk-accuracy-key',
          requests: String(REQUESTS),
          'warmup-requests': String(WARMUP),
          concurrency: '8',
          mode: 'report',
        })[name as string],
    );
    const mix = await loadMix(MIX, { baseDir: process.cwd() });
    outcome = await runBenchmark(config, mix, {
      log: (line) => logLines.push(line),
      secrets: ['sk-accuracy-key'],
    });
    serverStats = await simulator.stats();
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('sends exactly warm-up + measured requests', () => {
    expect(serverStats.requestsReceived).toBe(WARMUP + REQUESTS);
    expect(outcome.warmup).toEqual({ requests: WARMUP, failed: 0 });
    expect(outcome.summary.requests).toBe(REQUESTS);
    expect(outcome.summary.errorRate).toBe(0);
  });

  it('reports TTFT no earlier than the server wrote the first token, the median within 5 ms', () => {
    const serverTtft = serverStats.log
      .slice(-REQUESTS)
      .map((entry) => (entry.firstTokenAtMs ?? NaN) - entry.receivedAtMs)
      .sort((a, b) => a - b);
    const client = outcome.summary.distributions.ttft;
    // Each request left before the server received it and its first token was read after the
    // server wrote it, so every order statistic of the client's TTFTs is at least the server's
    // (0.5 ms for the histograms' precision).
    expect(client.p50Ms).toBeGreaterThanOrEqual(percentile(serverTtft, 0.5) - 0.5);
    expect(client.p95Ms).toBeGreaterThanOrEqual(percentile(serverTtft, 0.95) - 0.5);
    // A first token read late is the client's event loop being late; it says by how much.
    const ownLagMs = outcome.selfCheck.timerLagP99Ms;
    expect(client.p50Ms - percentile(serverTtft, 0.5), `timer lag p99 ${ownLagMs} ms`).toBeLessThan(
      5 + ownLagMs,
    );
  });

  it('reports output tokens/s within 10% of the server’s', () => {
    const measured = serverStats.log.slice(-REQUESTS);
    const tokens = measured.reduce((sum, entry) => sum + entry.outputTokens, 0);
    const start = Math.min(...measured.map((entry) => entry.receivedAtMs));
    const end = Math.max(...measured.map((entry) => entry.endAtMs ?? 0));
    const serverTokensPerSecond = tokens / ((end - start) / 1000);
    expect(outcome.summary.outputTokens).toBe(tokens);
    expect(outcome.summary.outputTokensPerSecond / serverTokensPerSecond).toBeGreaterThan(0.9);
    expect(outcome.summary.outputTokensPerSecond / serverTokensPerSecond).toBeLessThan(1.1);
  });

  it('keeps every distribution and the endpoint facts', () => {
    const d = outcome.summary.distributions;
    expect(d.ttft.count).toBe(REQUESTS);
    expect(d.e2e.count).toBe(REQUESTS);
    // One gap between each two tokens of a request: the simulator streams a token per event.
    expect(d.itl.count).toBe(outcome.summary.outputTokens - REQUESTS);
    expect(d.ttfb.p50Ms).toBeLessThanOrEqual(d.ttft.p50Ms);
    expect(outcome.endpoint.server).toBe('llm-perf-gate-simulator');
    expect(outcome.summary.estimatedTokenRequests).toBe(0);
    expect(Object.keys(outcome.perClass).length).toBeGreaterThan(1);
  });

  it('never logs the API key', () => {
    expect(logLines.join('\n')).not.toContain('sk-accuracy-key');
  });
});
