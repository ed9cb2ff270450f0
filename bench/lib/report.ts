import type { SimulatorOptions } from '../../src/simulator/index.js';
import type { RampStep } from './ceiling.js';
import type { LevelFigures } from './measure-level.js';
import type { Platform } from './platform.js';
import type { StartupFigures } from './startup.js';

export interface ClientLevel {
  client: string;
  /** The round with the median CPU per token. */
  figures: LevelFigures;
  /** CPU µs per token of every round, in the order they ran (rounds alternate clients). */
  roundsCpuUsPerToken: number[];
}

export interface ClientBenchResults {
  generatedAt: string;
  command: string;
  platform: Platform;
  simulator: SimulatorOptions;
  longestOutput: number;
  levels: ClientLevel[];
  ceiling: { throughput: RampStep[]; streams: RampStep[] };
  startup: StartupFigures;
}

export const OURS = 'llm-perf-gate: undici dispatch + eventsource-parser + JSON.parse';
/** The hand-written SSE byte reader and token templates the client used before (bench/lib/byte-events.ts). */
export const BYTE_READER = 'undici dispatch + byte reader + token templates';
export const REFERENCE = 'reference (fetch)';
/** Our client with events counted but never decoded or parsed (bench/lib/unparsed-events.ts). */
export const TRANSPORT = 'undici dispatch, events not parsed (transport floor)';

/** Issue 22's targets. */
export const TARGETS = {
  /** Our CPU per token over the fetch reference's, at 64+ streams. */
  cpuRatio: 0.5,
  /** The action's CPU from process start to its first request. */
  startupS: 0.15,
  /** TTFT the client adds (the response leg), p95 at 256 streams. */
  addedTtftP95Ms: 5,
} as const;

/** The byte reader is kept only if it cuts CPU per token by at least this much (issue 13). */
export const READER_SAVING_TO_KEEP = 0.2;

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

function selfCheckCell(figures: LevelFigures): string {
  const { eventLoopUtilization, timerLagP95Ms, timerLagP99Ms, saturated } = figures.selfCheck;
  return `${fixed(eventLoopUtilization * 100, 0)}% / ${fixed(timerLagP95Ms ?? NaN)} / ${fixed(timerLagP99Ms)} ms${saturated ? ' **tripped**' : ''}`;
}

/** The brief's rule: p95 needs ≥ 200 samples and p99 ≥ 1000 to be stable. */
function samplesNote(count: number): string {
  if (count < 200) return `${count}, p95/p99 unstable`;
  if (count < 1000) return `${count}, p99 unstable`;
  return String(count);
}

function levelRow({ client, figures: f }: ClientLevel): string {
  const error = f.ttftError;
  return [
    client,
    f.concurrency,
    f.requests,
    thousands(f.tokensPerSecond),
    `${fixed(f.cpuUsPerToken)} (${fixed(f.systemCpuUsPerToken)})`,
    `${fixed(f.clientCores, 2)} / ${fixed(f.serverCores, 2)} / ${fixed(f.otherCores, 2)}`,
    selfCheckCell(f),
    `${fixed(error.perRequest.p50, 2)} / ${fixed(error.perRequest.p95, 2)} / ${fixed(error.perRequest.p99, 2)} (${samplesNote(error.perRequest.count)})`,
    `${fixed(error.requestLeg.p95, 2)} / ${fixed(error.responseLeg.p95, 2)}`,
    fixed(f.serverLoopDelay.p99Ms),
    fixed(error.p95GapMs, 2),
    f.failed + error.unmatched,
  ].join(' | ');
}

function rampRow(step: RampStep): string {
  const f = step.figures;
  return [
    f.concurrency,
    fixed(step.decodeStepMs, 2),
    thousands(step.offeredTokensPerSecond),
    thousands(f.tokensPerSecond),
    fixed(f.tpotMs.p50, 2),
    fixed(f.cpuUsPerToken),
    `${fixed(f.clientCores, 2)} / ${fixed(f.serverCores, 2)} / ${fixed(f.otherCores, 2)}`,
    selfCheckCell(f),
    fixed(f.ttftError.responseLeg.p95, 2),
    step.limit,
  ].join(' | ');
}

function table(header: string[], rows: string[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

/** A client's CPU per token (ours by default) over another's, per concurrency both ran at. */
export function cpuRatios(
  levels: ClientLevel[],
  other = REFERENCE,
  client = OURS,
): Array<{ concurrency: number; ratio: number }> {
  const ours = levels.filter((level) => level.client === client);
  return ours.flatMap(({ figures }) => {
    const reference = levels.find(
      (level) => level.client === other && level.figures.concurrency === figures.concurrency,
    );
    return reference
      ? [
          {
            concurrency: figures.concurrency,
            ratio: figures.cpuUsPerToken / reference.figures.cpuUsPerToken,
          },
        ]
      : [];
  });
}

/** The best step the client sustained with its self-check clear. */
export function ceilingOf(steps: RampStep[]): RampStep | undefined {
  return steps
    .filter((step) => !step.figures.selfCheck.saturated)
    .sort((a, b) => b.figures.tokensPerSecond - a.figures.tokensPerSecond)[0];
}

function ceilingSentence(
  best: RampStep | undefined,
  mostStreams: RampStep | undefined,
  throughput: RampStep[],
): string {
  if (!best) return 'The client tripped its self-check at every step.';
  const f = best.figures;
  const tripped = throughput.some((step) => step.limit === 'client');
  const streams = mostStreams ? thousands(mostStreams.concurrency) : 'none';
  return (
    `Highest sustained rate with the self-check clear: **${thousands(f.tokensPerSecond)} tokens/s** ` +
    `(${best.concurrency} streams; client ${fixed(f.clientCores, 2)} cores, ELU ` +
    `${fixed(f.selfCheck.eventLoopUtilization * 100, 0)}%). ` +
    (tripped
      ? 'One step further the client tripped its self-check. '
      : 'The simulator could not stream faster on this machine before the client ran out of ' +
        `room: at ${fixed(f.cpuUsPerToken)} µs of CPU per token, one core would carry about ` +
        `${thousands(1e6 / f.cpuUsPerToken)} tokens/s. `) +
    `Most concurrent streams held with the self-check clear: **${streams}**.`
  );
}

/** What the byte reader saves against eventsource-parser + JSON.parse, per concurrency. */
export function readerSavings(
  levels: ClientLevel[],
): Array<{ concurrency: number; saving: number; keep: boolean }> {
  return cpuRatios(levels, BYTE_READER).map(({ concurrency, ratio }) => {
    // ratio = ours ÷ byte reader; the byte reader's saving is 1 − byte reader ÷ ours.
    const saving = 1 - 1 / ratio;
    return { concurrency, saving, keep: saving >= READER_SAVING_TO_KEEP };
  });
}

function readerDecision(results: ClientBenchResults): string[] {
  const savings = readerSavings(results.levels);
  if (savings.length === 0) return [];
  const rounds = (client: string, concurrency: number) =>
    results.levels
      .find((l) => l.client === client && l.figures.concurrency === concurrency)
      ?.roundsCpuUsPerToken.map((value) => fixed(value))
      .join(', ') ?? '–';
  const kept = savings.some(({ keep, concurrency }) => keep && concurrency >= 64);
  return [
    '## Reader decision',
    '',
    `The hand-written byte reader and token templates stay only where they cut CPU per token by ` +
      `≥ ${READER_SAVING_TO_KEEP * 100}% against undici dispatch + eventsource-parser + ` +
      '`JSON.parse` in the same run (medians of alternating rounds).',
    '',
    table(
      [
        'streams',
        'eventsource-parser µs/token (rounds)',
        'byte reader µs/token (rounds)',
        'saving',
        '',
      ],
      savings.map(({ concurrency, saving, keep }) =>
        [
          concurrency,
          rounds(OURS, concurrency),
          rounds(BYTE_READER, concurrency),
          `${fixed(saving * 100)}%`,
          keep ? '≥ 20%: keep' : '< 20%',
        ].join(' | '),
      ),
    ),
    '',
    kept
      ? 'At 64+ streams the byte reader saves ≥ 20%: keep it.'
      : 'Below 20% at 64+ streams: the client uses eventsource-parser, and the byte reader lives ' +
        'on only as this row (`bench/lib/byte-events.ts`).',
    '',
  ];
}

/** Issue 22's targets against this run's figures, as table rows (measured figure, verdict). */
export function targetVerdicts(
  results: Pick<ClientBenchResults, 'levels' | 'startup'>,
): Array<{ target: string; measured: string; met: boolean }> {
  const ratios = cpuRatios(results.levels).filter(({ concurrency }) => concurrency >= 64);
  const floors = cpuRatios(results.levels, REFERENCE, TRANSPORT).filter(
    ({ concurrency }) => concurrency >= 64,
  );
  const at256 = oursAt(results.levels, 256);
  const { startup } = results;
  const listed = (values: Array<{ concurrency: number; ratio: number }>) =>
    values.map(({ concurrency, ratio }) => `${fixed(ratio, 2)} at ${concurrency}`).join(', ');
  return [
    {
      target: `CPU per token ≤ ${TARGETS.cpuRatio} × the fetch reference’s (64+ streams)`,
      measured:
        `${listed(ratios)}` +
        (floors.length > 0 ? ` (transport floor, events not parsed: ${listed(floors)})` : ''),
      met: ratios.length > 0 && ratios.every(({ ratio }) => ratio <= TARGETS.cpuRatio),
    },
    {
      target: `Action start-up ≤ ${TARGETS.startupS} s CPU (process start → first request)`,
      measured: `${fixed(startup.actionToFirstRequestS, 3)} s (a bare node: ${fixed(startup.bareNodeS, 3)} s; medians of ${startup.runs})`,
      met: startup.actionToFirstRequestS <= TARGETS.startupS,
    },
    {
      target: `TTFT added by the client ≤ ${TARGETS.addedTtftP95Ms} ms p95 at 256 streams (response leg)`,
      measured: at256
        ? `${fixed(at256.ttftError.responseLeg.p95, 2)} ms; the self-check's timer lag p95 ${fixed(at256.selfCheck.timerLagP95Ms ?? NaN, 2)} ms, ${selfCheckFlagged(at256) ? 'flagged' : 'not flagged'}`
        : '–',
      met: at256 !== undefined && at256.ttftError.responseLeg.p95 <= TARGETS.addedTtftP95Ms,
    },
  ];
}

/** The self-check said so: the client tripped it, or passed the TTFT budget (a caution). */
function selfCheckFlagged(figures: LevelFigures): boolean {
  return figures.selfCheck.saturated || (figures.selfCheck.cautions?.length ?? 0) > 0;
}

function oursAt(levels: ClientLevel[], concurrency: number): LevelFigures | undefined {
  return levels.find((l) => l.client === OURS && l.figures.concurrency === concurrency)?.figures;
}

/** The targets, issue 22's first, against this run's figures. */
function targetRows(results: ClientBenchResults): string[] {
  const at256 = oursAt(results.levels, 256);
  const at1000 = oursAt(results.levels, 1000);
  const verdict = (met: boolean | undefined) => (met ? 'met' : 'not met');
  return [
    ...targetVerdicts(results).map(({ target, measured, met }) =>
      [target, measured, verdict(met)].join(' | '),
    ),
    [
      'TTFT error p95 ≤ 1 ms at 256 streams',
      at256
        ? `${fixed(at256.ttftError.perRequest.p95, 2)} ms (response leg ${fixed(at256.ttftError.responseLeg.p95, 2)} ms)`
        : '–',
      verdict(at256 && at256.ttftError.perRequest.p95 <= 1),
    ].join(' | '),
    [
      '1,000 concurrent streams held',
      at1000
        ? `${at1000.failed} failed, self-check ${at1000.selfCheck.saturated ? 'tripped' : 'clear'}`
        : '–',
      verdict(at1000 && at1000.failed === 0 && !at1000.selfCheck.saturated),
    ].join(' | '),
  ];
}

/** A core shared with other work makes absolute figures meaningless; same-run ratios survive. */
function sharedMachineNote(platform: Platform): string[] {
  if (Math.min(...platform.parallelShares) >= 0.9) return [];
  return [
    '',
    '**The machine was shared during this run** (a CPU-bound process got well under one core): ' +
      'latencies, rates and the targets below are not representative of the client; CPU per ' +
      'token and comparisons between clients measured in alternating rounds still are.',
  ];
}

export function renderMarkdown(results: ClientBenchResults): string {
  const { platform, simulator } = results;
  const ratios = cpuRatios(results.levels);
  const throughputCeiling = ceilingOf(results.ceiling.throughput);
  const streamsCeiling = [...results.ceiling.streams]
    .filter((step) => !step.figures.selfCheck.saturated)
    .sort((a, b) => b.concurrency - a.concurrency)[0];
  const lines = [
    '# Client benchmark',
    '',
    `\`${results.command}\` on ${results.generatedAt.slice(0, 10)}: Node ${platform.node}, ` +
      `${platform.cpus} × ${platform.cpuModel}. One idle event-loop wakeup costs ` +
      `${fixed(platform.wakeupCpuUs)} µs of CPU here; two CPU-bound processes side by side got ` +
      `${platform.parallelShares.map((share) => fixed(share, 2)).join(' and ')} of a core.`,
    ...sharedMachineNote(platform),
    '',
    table(['target', 'measured', ''], targetRows(results)),
    '',
    'Each row: one client, one concurrency, a fresh simulator in its own process (decode step ' +
      `${simulator.decodeStepMs} ms + ${simulator.decodeStepMsPerSequence} ms per extra stream, ` +
      `batch cap ${simulator.maxBatch}, jitter ${simulator.jitter}), outputs of ` +
      `${results.longestOutput / 2}–${results.longestOutput} tokens (ignore_eos), a warm-up that ` +
      'opens every connection, then a closed loop.',
    '',
    table(
      [
        'client',
        'streams',
        'requests',
        'tokens/s',
        'CPU µs/token (kernel)',
        'cores client / server / other',
        'ELU / timer lag p95 / p99',
        'TTFT error p50 / p95 / p99 ms (requests)',
        'request / response leg p95 ms',
        'server loop lag p99 ms',
        'p95 gap ms',
        'failed',
      ],
      results.levels.map(levelRow),
    ),
    '',
    `CPU per token, ours ÷ reference: ${ratios
      .map(({ concurrency, ratio }) => `${fixed(ratio, 2)} at ${concurrency}`)
      .join(', ')}.`,
    '',
    ...readerDecision(results),
    '## Ceiling',
    '',
    ceilingSentence(throughputCeiling, streamsCeiling, results.ceiling.throughput),
    '',
    'Throughput: the decode step shrinks until the client trips its self-check, or the simulator ' +
      'cannot keep its own pace twice running (limit `server`: the streams ran slower than the ' +
      'simulated step with the client clear, so this machine cannot push the client further).',
    '',
    table(
      [
        'streams',
        'step ms',
        'offered tokens/s',
        'tokens/s',
        'TPOT p50 ms',
        'CPU µs/token',
        'cores client / server / other',
        'ELU / timer lag p95 / p99',
        'response leg p95 ms',
        'limit',
      ],
      results.ceiling.throughput.map(rampRow),
    ),
    '',
    'Streams: more concurrent streams at a modest rate each; a decode step sends one event to ' +
      'every stream at once, so the burst the client must absorb grows with the streams.',
    '',
    table(
      [
        'streams',
        'step ms',
        'offered tokens/s',
        'tokens/s',
        'TPOT p50 ms',
        'CPU µs/token',
        'cores client / server / other',
        'ELU / timer lag p95 / p99',
        'response leg p95 ms',
        'limit',
      ],
      results.ceiling.streams.map(rampRow),
    ),
    '',
    '## How it is measured',
    '',
    '- **CPU µs/token**: `process.cpuUsage()` (user + system) of the bench process over the ' +
      'measured phase, divided by the output tokens received. The simulator runs in another ' +
      'process, so this is the client alone (plus the runner and the self-check sampler). ' +
      'The kernel part (socket reads, epoll) is in brackets. At one stream every token is its ' +
      'own wakeup, so the figure is mostly the machine’s wakeup cost.',
    '- **Cores**: CPU time over wall time of the client, the simulator, and everything else on ' +
      'the machine (from /proc/stat). “Other” above ~0.1 means the run shared the CPU.',
    '- **ELU / timer lag p95 / p99**: the load generator’s own self-check (event-loop ' +
      'utilization; how late a 10 ms timer fired). It trips above 90%, 5 ms p95 (the TTFT the ' +
      'client may add: compare the response leg) or 50 ms p99.',
    '- **Start-up**: `node dist/index.js` (built from the current sources) with an endpoint and ' +
      'a model as its only inputs, CPU (user + system) from process start until undici creates ' +
      'its first request, read by a preloaded `diagnostics_channel` probe; beside it a bare ' +
      '`node -e ""`, runs alternating. The action has no hook of its own for this.',
    '- **Transport floor**: our client with every chunk counted as one event and nothing ' +
      'decoded or parsed (`bench/lib/unparsed-events.ts`): what is left is undici, the socket, ' +
      'the kernel and the measurement, the part no reader can save. Only its CPU means ' +
      'anything: it counts the role chunk as text, so its TTFT stops a token early.',
    '- **TTFT error**: per request, client TTFT minus the server’s own (first token written − ' +
      'request received, on the simulator’s clock). Requests are matched exactly, not by ' +
      'distribution: each prompt’s length encodes a tag the simulator logs as `inputTokens`, and ' +
      'within a tag the n-th send pairs with the n-th arrival. The first wave of each closed ' +
      'loop (one request per stream) is left out: it reaches the server all at once. Both TTFTs ' +
      'are differences on one monotonic clock each, so no clock offset enters.',
    '- **Request / response leg**: the two halves of that error, with the simulator’s times put ' +
      'on the client’s clock through both processes’ `performance.timeOrigin` (good to ~0.1 ms). ' +
      'Request leg: from the client writing the request to the simulator’s request handler ' +
      'running; the client stamps its start just before the write, so this is the kernel and the ' +
      'server’s own accept queue (requests arriving while it writes a decode step wait for it). ' +
      'Response leg: from the simulator writing the first token to the client stamping its ' +
      'arrival; the client’s own delays (event loop, parsing, GC) all land here.',
    '- **Simulator timing**: the simulator sends each event as it is written (it uncorks the ' +
      'socket after every write; Node’s http server would otherwise hold a decode step’s events ' +
      'until the next tick while the simulator logs its first-token time during the step), as ' +
      'an asyncio server such as vLLM does.',
    '- **p95 gap**: client TTFT p95 minus server TTFT p95 over the same requests: the error a ' +
      'report of percentiles carries.',
    '- **Rounds**: with `--rounds N` each level runs every client N times, clients alternating ' +
      'within a round, and the row shows the round with the median CPU per token: a shared ' +
      'machine drifts between runs, and alternating spreads that drift over the clients alike.',
    '- **Byte reader**: `bench/lib/byte-events.ts`, the SSE byte reader and token templates ' +
      'src/client used before: the same undici handler, measurement and event meaning as ours ' +
      '(its `events` seam), so the two rows differ only in how a body becomes events.',
    '- **Reference client**: `bench/reference-client.ts`: global `fetch`, a body reader, ' +
      '`TextDecoder`, events split on blank lines, `JSON.parse` each, first content stamped at ' +
      'the read that brought it; same request bodies. Its start stamp is taken before `fetch()`.',
    '',
  ];
  return lines.join('\n');
}
