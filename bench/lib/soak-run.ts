import { performance } from 'node:perf_hooks';
import { StreamClient } from '../../src/client/stream-client.js';
import { runPhase } from '../../src/load/runner.js';
import { SelfCheckMonitor } from '../../src/load/self-check.js';
import { RunRecorder } from '../../src/metrics/recorder.js';
import type { SelfCheck } from '../../src/domain/results.js';
import { builtinMix, createSampler } from '../../src/workload/index.js';
import { exposeGc, sampleMemory, type MemorySample } from './memory.js';
import { startSimulatorProcess } from './simulator-process.js';

export interface SoakOptions {
  durationMs: number;
  concurrency: number;
  sampleEveryMs: number;
  onSample?: (sample: MemorySample) => void;
}

export interface SoakOutcome {
  samples: MemorySample[];
  requests: number;
  failed: number;
  outputTokens: number;
  selfCheck: SelfCheck;
}

/** Short answers at a brisk decode pace: many requests per minute, modest CPU. */
const SOAK_SIMULATOR = {
  seed: 11,
  maxBatch: 1024,
  decodeStepMs: 10,
  decodeStepMsPerSequence: 0.02,
  jitter: 0.1,
};
const MAX_TOKENS = 32;

/**
 * A closed loop against a simulator process for a fixed time, through the product's own pieces
 * (seeded sampler, StreamClient, runPhase, RunRecorder, self-check), sampling the heap after a
 * full GC every `sampleEveryMs`. Nothing here keeps per-request data: what grows, leaks.
 */
export async function runSoak(options: SoakOptions): Promise<SoakOutcome> {
  const gc = exposeGc();
  const simulator = await startSimulatorProcess(SOAK_SIMULATOR);
  const client = new StreamClient({
    endpoint: simulator.url,
    api: 'chat',
    model: 'sim-llama-8b',
    headers: {},
    connections: options.concurrency,
    timeoutMs: 30_000,
  });
  const sampler = createSampler(builtinMix('short-chat')!, {
    seed: 1,
    api: 'chat',
    extraBody: { max_tokens: MAX_TOKENS },
    cacheBust: true,
  });
  const recorder = new RunRecorder({ slo: {}, fixedLengthRequested: false });
  const monitor = new SelfCheckMonitor();
  const samples: MemorySample[] = [];
  const startedMs = performance.now();
  const sample = () => {
    const taken = sampleMemory(gc, (performance.now() - startedMs) / 1000, recorder.requests);
    samples.push(taken);
    options.onSample?.(taken);
  };
  const timer = setInterval(sample, options.sampleEveryMs);
  monitor.start();
  try {
    await runPhase({
      sender: client,
      sampler,
      firstIndex: 0,
      count: Number.MAX_SAFE_INTEGER,
      durationMs: options.durationMs,
      concurrency: options.concurrency,
      onRecord: (record) => recorder.record(record),
    });
  } finally {
    clearInterval(timer);
    await client.close();
    await simulator.close();
  }
  const selfCheck = monitor.stop();
  const { summary } = recorder.finish();
  return {
    samples,
    requests: summary.requests,
    failed: summary.failed,
    outputTokens: summary.outputTokens,
    selfCheck,
  };
}
