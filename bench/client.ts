/**
 * npm run bench [-- --quick] [--only ours|bytes|transport|reference] [--rounds N] [--no-ceiling]
 *
 * Measures the load generator against the simulator on this machine: the action's start-up
 * CPU, then client CPU per streamed token and TTFT error against the server's own timestamps at
 * 1, 64, 256 and 1,000 concurrent streams, for our StreamClient, the same client reading events
 * with the hand-written byte reader and token templates (the reader decision), the same client
 * parsing nothing (the transport floor), and a minimal fetch-based reference client; then the
 * highest sustained tokens/s and concurrent streams before the self-check trips; last, issue
 * 22's targets, met or not. A complete run writes bench/results/client.md and client.json;
 * `--only` or `--no-ceiling` only prints.
 *
 * Profile the client with:
 *   node --cpu-prof --cpu-prof-dir=scratch/prof --import tsx bench/client.ts --quick --only ours --no-ceiling
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { StreamClient } from '../src/client/stream-client.js';
import type { SimulatorOptions } from '../src/simulator/index.js';
import { rampUntilSaturated, type RampPlan, type RampStep } from './lib/ceiling.js';
import { measureLevel, type ClientFactory, type LevelFigures } from './lib/measure-level.js';
import { measurePlatform } from './lib/platform.js';
import { byteEvents } from './lib/byte-events.js';
import {
  BYTE_READER,
  OURS,
  REFERENCE,
  TRANSPORT,
  cpuRatios,
  readerSavings,
  renderMarkdown,
  targetVerdicts,
  type ClientBenchResults,
  type ClientLevel,
} from './lib/report.js';
import { measureStartup } from './lib/startup.js';
import { unparsedEvents } from './lib/unparsed-events.js';
import { ReferenceClient } from './reference-client.js';
import buildDistWhenStale from '../test/build-dist.js';

const MODEL = 'sim-llama-8b';
// A quick run is a look, not evidence: it goes to git-ignored scratch/.
const OUTPUT_DIR = process.argv.includes('--quick') ? 'scratch/bench' : 'bench/results';
const LONGEST_OUTPUT = 256;

/**
 * A server that is never the bottleneck at these levels: no batch cap in reach, no prefill cost
 * per prompt token (prompt lengths carry the matching tags), a decode step that grows mildly
 * with the batch, as a real continuous-batching server's does.
 */
const SIMULATOR: SimulatorOptions = {
  seed: 7,
  maxBatch: 16_384,
  prefillBaseMs: 2,
  prefillMsPerToken: 0,
  decodeStepMs: 5,
  decodeStepMsPerSequence: 0.1,
  jitter: 0.1,
  outputTokens: 'max',
};

/** Measured requests per level: a few rounds per stream once the first wave is done. */
const LEVELS = {
  full: [
    { concurrency: 1, requests: 40 },
    { concurrency: 64, requests: 320 },
    { concurrency: 256, requests: 1024 },
    { concurrency: 1000, requests: 2500 },
  ],
  quick: [
    { concurrency: 1, requests: 8 },
    { concurrency: 64, requests: 128 },
    { concurrency: 256, requests: 512 },
    { concurrency: 1000, requests: 1500 },
  ],
};

const CEILING: Record<'full' | 'quick', { throughput: RampPlan; streams: RampPlan }> = {
  full: {
    throughput: {
      steps: [16, 8, 6, 4, 3, 2].map((decodeStepMs) => ({ concurrency: 256, decodeStepMs })),
      longestOutput: 128,
      durationMs: 10_000,
    },
    streams: {
      steps: [1000, 2000, 3000, 4000].map((concurrency) => ({
        concurrency,
        decodeStepMs: concurrency / 10,
      })),
      longestOutput: 16,
      durationMs: 8000,
    },
  },
  quick: {
    throughput: {
      steps: [8, 4, 3, 2].map((decodeStepMs) => ({ concurrency: 256, decodeStepMs })),
      longestOutput: 128,
      durationMs: 4000,
    },
    streams: {
      steps: [1000, 2000].map((concurrency) => ({ concurrency, decodeStepMs: concurrency / 10 })),
      longestOutput: 16,
      durationMs: 4000,
    },
  },
};

const CLIENTS: Record<string, ClientFactory> = {
  [OURS]: (endpoint, connections) =>
    new StreamClient({
      endpoint,
      api: 'chat',
      model: MODEL,
      headers: {},
      connections,
      timeoutMs: 120_000,
    }),
  [BYTE_READER]: (endpoint, connections) =>
    new StreamClient({
      endpoint,
      api: 'chat',
      model: MODEL,
      headers: {},
      connections,
      timeoutMs: 120_000,
      events: byteEvents,
    }),
  [TRANSPORT]: (endpoint, connections) =>
    new StreamClient({
      endpoint,
      api: 'chat',
      model: MODEL,
      headers: {},
      connections,
      timeoutMs: 120_000,
      events: unparsedEvents,
    }),
  [REFERENCE]: (endpoint) => new ReferenceClient({ endpoint, model: MODEL }),
};

interface Options {
  quick: boolean;
  clients: string[];
  ceiling: boolean;
  rounds: number;
}

function parseOptions(args: string[]): Options {
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const names: Record<string, string> = {
    ours: OURS,
    bytes: BYTE_READER,
    transport: TRANSPORT,
    reference: REFERENCE,
  };
  if (only !== undefined && !(only in names)) {
    throw new Error('--only takes ours, bytes, transport or reference');
  }
  const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 1;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number ≥ 1');
  return {
    quick: args.includes('--quick'),
    clients: only ? [names[only]!] : Object.values(names),
    ceiling: !args.includes('--no-ceiling'),
    rounds,
  };
}

/** The figures of the round with the median CPU per token. */
function medianRound(rounds: LevelFigures[]): LevelFigures {
  const sorted = [...rounds].sort((a, b) => a.cpuUsPerToken - b.cpuUsPerToken);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function describeLevel(client: string, f: LevelFigures): string {
  const { perRequest, requestLeg, responseLeg } = f.ttftError;
  const ms = (value: number) => value.toFixed(2);
  return (
    `${client.padEnd(18)} ${String(f.concurrency).padStart(5)} streams  ` +
    `${Math.round(f.tokensPerSecond).toString().padStart(6)} tok/s  ` +
    `${f.cpuUsPerToken.toFixed(1).padStart(6)} µs/tok  ` +
    `ELU ${(f.selfCheck.eventLoopUtilization * 100).toFixed(0).padStart(3)}%  ` +
    `lag p99 ${f.selfCheck.timerLagP99Ms.toFixed(1).padStart(5)} ms  ` +
    `TTFT error p50/p95 ${ms(perRequest.p50)}/${ms(perRequest.p95)} ms ` +
    `(request leg p95 ${ms(requestLeg.p95)}, response leg p95 ${ms(responseLeg.p95)}, ` +
    `server loop lag p99 ${ms(f.serverLoopDelay.p99Ms)})  other cores ${f.otherCores.toFixed(2)}`
  );
}

function describeStep(step: RampStep): string {
  return `  ceiling: ${describeLevel(OURS, step.figures)}  offered ${Math.round(step.offeredTokensPerSecond)} tok/s → ${step.limit}`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const size = options.quick ? 'quick' : 'full';
  const platform = await measurePlatform();
  console.log(`One idle wakeup costs ${platform.wakeupCpuUs.toFixed(1)} µs of CPU here.`);
  // Start-up is the action bundle's: built from these sources first when it is stale.
  buildDistWhenStale();
  const startup = await measureStartup('dist/index.js');
  console.log(
    `Action start-up: ${startup.actionToFirstRequestS.toFixed(3)} s CPU to its first request (a bare node ${startup.bareNodeS.toFixed(3)} s).`,
  );

  const levels: ClientLevel[] = [];
  for (const level of LEVELS[size]) {
    const rounds = new Map<string, LevelFigures[]>(options.clients.map((client) => [client, []]));
    for (let round = 0; round < options.rounds; round++) {
      for (const client of options.clients) {
        const figures = await measureLevel(CLIENTS[client]!, {
          ...level,
          longestOutput: LONGEST_OUTPUT,
          simulator: SIMULATOR,
        });
        rounds.get(client)!.push(figures);
        console.log(describeLevel(client, figures));
      }
    }
    for (const [client, figures] of rounds) {
      levels.push({
        client,
        figures: medianRound(figures),
        roundsCpuUsPerToken: figures.map((f) => f.cpuUsPerToken),
      });
    }
  }
  for (const { concurrency, ratio } of cpuRatios(levels)) {
    console.log(`CPU per token at ${concurrency} streams: ours ÷ reference = ${ratio.toFixed(2)}`);
  }
  for (const { concurrency, ratio } of cpuRatios(levels, REFERENCE, TRANSPORT)) {
    console.log(
      `CPU per token at ${concurrency} streams: transport floor ÷ reference = ${ratio.toFixed(2)}`,
    );
  }
  for (const { concurrency, saving } of readerSavings(levels)) {
    console.log(
      `CPU per token at ${concurrency} streams: the byte reader saves ${(saving * 100).toFixed(1)}% against eventsource-parser`,
    );
  }

  const ceiling = { throughput: [] as RampStep[], streams: [] as RampStep[] };
  if (options.ceiling && options.clients.includes(OURS)) {
    const plan = CEILING[size];
    ceiling.throughput = await rampUntilSaturated(
      CLIENTS[OURS]!,
      plan.throughput,
      SIMULATOR,
      (step) => console.log(describeStep(step)),
    );
    ceiling.streams = await rampUntilSaturated(CLIENTS[OURS]!, plan.streams, SIMULATOR, (step) =>
      console.log(describeStep(step)),
    );
  }

  for (const { target, measured, met } of targetVerdicts({ levels, startup })) {
    console.log(`${met ? 'met    ' : 'not met'}  ${target}: ${measured}`);
  }

  if (!options.ceiling || options.clients.length < 4) return;
  const results: ClientBenchResults = {
    generatedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    platform,
    simulator: SIMULATOR,
    longestOutput: LONGEST_OUTPUT,
    levels,
    ceiling,
    startup,
  };
  mkdirSync(OUTPUT_DIR, { recursive: true });
  writeFileSync(`${OUTPUT_DIR}/client.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${OUTPUT_DIR}/client.md`, renderMarkdown(results));
  console.log(`Wrote ${OUTPUT_DIR}/client.md and client.json`);
}

await main();
