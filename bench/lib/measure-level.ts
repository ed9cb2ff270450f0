import { performance } from 'node:perf_hooks';
import { runPhase, type RequestSender } from '../../src/load/runner.js';
import { SelfCheckMonitor } from '../../src/load/self-check.js';
import type { SelfCheck } from '../../src/domain/results.js';
import type { SimulatorOptions, SimulatorRequestLog } from '../../src/simulator/index.js';
import { spreadOf, type Spread } from './percentiles.js';
import {
  startSimulatorProcess,
  type LoopDelay,
  type SimulatorProcess,
} from './simulator-process.js';
import { machineBusyMs } from './system-load.js';
import { tagOf, taggedRequest } from './tagged-requests.js';
import { ttftError, type ClientTtft, type TtftError } from './ttft-error.js';

export interface ClientUnderTest extends RequestSender {
  close(): Promise<void>;
}

export type ClientFactory = (endpoint: string, connections: number) => ClientUnderTest;

export interface LevelOptions {
  concurrency: number;
  /** Measured requests; with `durationMs`, the most there may be. */
  requests: number;
  /** Stop starting requests after this long (the saturation ramp). */
  durationMs?: number;
  /** Longest output: lengths spread over [longest/2, longest]. */
  longestOutput: number;
  simulator: SimulatorOptions;
}

export interface LevelFigures {
  concurrency: number;
  requests: number;
  failed: number;
  outputTokens: number;
  wallMs: number;
  tokensPerSecond: number;
  /** Client process CPU (user + system) per streamed token. */
  cpuUsPerToken: number;
  /** The kernel's part of it (socket reads, epoll). */
  systemCpuUsPerToken: number;
  /** Cores the client process used on average. */
  clientCores: number;
  /** Cores the simulator process used: near 1, the server is the limit. */
  serverCores: number;
  /** Cores anything else on the machine used meanwhile: the run was not alone above ~0.1. */
  otherCores: number;
  /**
   * How late the simulator's own event loop ran (1 ms timer): a request that arrives while the
   * server writes a decode step waits that long before its request log sees it.
   */
  serverLoopDelay: LoopDelay;
  /** Time per output token after the first, per request: the pace the streams kept. */
  tpotMs: Spread;
  selfCheck: SelfCheck;
  ttftError: TtftError;
}

/** Short requests that open every connection and warm the JIT before anything is measured. */
const WARMUP_MAX_TOKENS = 8;
/** The simulator logs a request when its response closes, a moment after the client is done. */
const LOG_SETTLE_POLLS = 50;
const LOG_SETTLE_POLL_MS = 20;

/**
 * One client at one concurrency against a fresh simulator process: a warm-up, then a closed
 * loop of streamed requests, with the client's CPU, event loop and TTFT error measured over the
 * measured phase only.
 */
export async function measureLevel(
  createClient: ClientFactory,
  options: LevelOptions,
): Promise<LevelFigures> {
  const { concurrency } = options;
  const simulator = await startSimulatorProcess(options.simulator);
  const client = createClient(simulator.url, concurrency);
  try {
    const span = Math.max(64, 2 * concurrency);
    await runPhase({
      sender: client,
      sampler: (index) => taggedRequest(index, span, WARMUP_MAX_TOKENS),
      firstIndex: 0,
      count: concurrency,
      concurrency,
      onRecord: () => {},
    });

    const samples: ClientTtft[] = [];
    const tpots: number[] = [];
    let failed = 0;
    let outputTokens = 0;
    const monitor = new SelfCheckMonitor();
    const [serverStartMs, machineStartMs] = await Promise.all([simulator.cpuMs(), machineBusyMs()]);
    simulator.resetLoopDelay();
    monitor.start();
    const cpuStart = process.cpuUsage();
    const startMs = performance.now();
    const outcome = await runPhase({
      sender: client,
      sampler: (index) => taggedRequest(index, span, options.longestOutput),
      firstIndex: 0,
      count: options.requests,
      ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
      concurrency,
      onRecord: (record) => {
        if (!record.ok || record.ttftMs === undefined) {
          failed++;
          return;
        }
        outputTokens += record.outputTokens;
        if (record.outputTokens > 1) {
          tpots.push((record.e2eMs - record.ttftMs) / (record.outputTokens - 1));
        }
        samples.push({
          index: record.index,
          tag: tagOf(record.index, span),
          startMs: record.startMs,
          ttftMs: record.ttftMs,
        });
      },
    });
    const wallMs = performance.now() - startMs;
    const cpu = process.cpuUsage(cpuStart);
    const selfCheck = monitor.stop();
    const [serverEndMs, machineEndMs, serverLoopDelay] = await Promise.all([
      simulator.cpuMs(),
      machineBusyMs(),
      simulator.loopDelay(),
    ]);
    const clientCpuMs = (cpu.user + cpu.system) / 1000;
    const serverCpuMs = serverEndMs - serverStartMs;
    const log = await settledLog(simulator, concurrency + outcome.sent);
    const tokens = Math.max(1, outputTokens);
    return {
      concurrency,
      requests: outcome.sent,
      failed,
      outputTokens,
      wallMs,
      tokensPerSecond: outputTokens / (wallMs / 1000),
      cpuUsPerToken: (clientCpuMs * 1000) / tokens,
      systemCpuUsPerToken: cpu.system / tokens,
      clientCores: clientCpuMs / wallMs,
      serverCores: serverCpuMs / wallMs,
      otherCores: Math.max(0, machineEndMs - machineStartMs - clientCpuMs - serverCpuMs) / wallMs,
      serverLoopDelay,
      tpotMs: spreadOf(tpots),
      selfCheck,
      ttftError: ttftError(
        samples,
        log.filter((entry) => entry.outputTokens > WARMUP_MAX_TOKENS),
        simulator.clockOffsetMs,
        concurrency,
      ),
    };
  } finally {
    await client.close();
    await simulator.close();
  }
}

/** The server's log once it holds every request sent (or after a short, bounded wait). */
async function settledLog(
  simulator: SimulatorProcess,
  expected: number,
): Promise<SimulatorRequestLog[]> {
  let stats = await simulator.stats();
  for (let poll = 0; poll < LOG_SETTLE_POLLS && stats.completed < expected; poll++) {
    await new Promise((resolve) => setTimeout(resolve, LOG_SETTLE_POLL_MS));
    stats = await simulator.stats();
  }
  return stats.log;
}
