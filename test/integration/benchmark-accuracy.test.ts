import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark, type BenchmarkOutcome } from '../../src/benchmark.js';
import { parseMeasureConfig } from '../../src/config/parse.js';
import type { SimulatorStats } from '../../src/simulator/index.js';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.js';
import { loadMix } from '../../src/workload/index.js';

/**
 * The figures must agree with the server's own clock: what the simulator logs as its first-token
 * write and end of stream is the truth the client measures from the other side of the socket.
 */
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
          requests: '200',
          'warmup-requests': '10',
          concurrency: '8',
          mode: 'report',
        })[name as string],
    );
    const mix = await loadMix('short-chat', { baseDir: process.cwd() });
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
    expect(serverStats.requestsReceived).toBe(210);
    expect(outcome.warmup).toEqual({ requests: 10, failed: 0 });
    expect(outcome.summary.requests).toBe(200);
    expect(outcome.summary.errorRate).toBe(0);
  });

  it('reports TTFT p95 within 5 ms of the server-side first-token times', () => {
    const measured = serverStats.log.slice(-200);
    const serverTtft = measured
      .map((entry) => (entry.firstTokenAtMs ?? NaN) - entry.receivedAtMs)
      .sort((a, b) => a - b);
    const serverP95 = serverTtft[Math.ceil(0.95 * serverTtft.length) - 1] ?? NaN;
    expect(Math.abs(outcome.summary.distributions.ttft.p95Ms - serverP95)).toBeLessThan(5);
  });

  it('reports output tokens/s within 10% of the server’s', () => {
    const measured = serverStats.log.slice(-200);
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
    expect(d.ttft.count).toBe(200);
    expect(d.e2e.count).toBe(200);
    expect(d.itl.count).toBeGreaterThan(1000);
    expect(d.ttfb.p50Ms).toBeLessThanOrEqual(d.ttft.p50Ms);
    expect(outcome.endpoint.server).toBe('llm-perf-gate-simulator');
    expect(outcome.summary.estimatedTokenRequests).toBe(0);
    expect(Object.keys(outcome.perClass).length).toBeGreaterThan(1);
  });

  it('never logs the API key', () => {
    expect(logLines.join('\n')).not.toContain('sk-accuracy-key');
  });
});
