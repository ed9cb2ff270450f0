import { setMaxListeners } from 'node:events';
import { RequestLog } from './client/request-log.js';
import { StreamClient } from './client/stream-client.js';
import { loadTokenCounter } from './client/token-count.js';
import type { RequestRecord } from './client/types.js';
import type { RequestPair } from './gate/paired.js';
import type { MeasureConfig } from './domain/config.js';
import { HealthWatch } from './load/health.js';
import { findKnee } from './load/knee.js';
import { planSlice, type PlanSlice } from './load/plan-slice.js';
import { describePhase, startProgress } from './load/progress.js';
import { plural } from './format.js';
import { runPhase, type PhaseOutcome } from './load/runner.js';
import { IDLE_SELF_CHECK, SelfCheckMonitor } from './load/self-check.js';
import { waitForStartAt } from './load/start-at.js';
import { trialFiguresOf } from './metrics/catalogue.js';
import { RunRecorder, type RecordedRun } from './metrics/recorder.js';
import { serverViewOf, startPhaseScraper } from './server-metrics/phase.js';
import type { PhaseScrapes, ServerView } from './server-metrics/index.js';
import { createRandom } from './random.js';
import type {
  EndpointFacts,
  RunHealth,
  SelfCheck,
  SequentialRecord,
  SweepLevel,
  SweepResults,
  TrialFigures,
} from './domain/results.js';
import { sweepLevelName } from './domain/sweep-level.js';
import { createSampler } from './workload/index.js';
import type { Mix } from './workload/types.js';

export interface BenchmarkHooks {
  log: (line: string) => void;
  warn?: (line: string) => void;
  signal?: AbortSignal;
  secrets: readonly string[];
  /** What GET /models listed before the run (src/client/readiness.ts), for the facts. */
  servedModels?: string[];
  /**
   * Measure until decided (one measured phase): after `at[k]` measured requests the run asks
   * `decided(run so far, k)`; true stops new requests, and those in flight finish.
   */
  looks?: { at: readonly number[]; decided: (soFar: MeasuredSoFar, look: number) => boolean };
}

/** The measured phase as it stands, for a look: the candidate, and paired the reference too. */
export interface MeasuredSoFar {
  run: RecordedRun;
  paired?: { reference: RecordedRun; pairs: readonly RequestPair[] };
}

/** Paired A/B: what the reference endpoint measured alongside, request for request. */
export interface ReferenceOutcome extends RecordedRun {
  warmup: { requests: number; failed: number };
  trials: TrialFigures[];
  endpoint: EndpointFacts;
  health: RunHealth;
  /** Measured pairs in request order: both records of each request sent to both. */
  pairs: RequestPair[];
}

export interface BenchmarkOutcome extends RecordedRun {
  startedAt: string;
  finishedAt: string;
  partial: boolean;
  warmup: { requests: number; failed: number };
  trials: TrialFigures[];
  selfCheck: SelfCheck;
  endpoint: EndpointFacts;
  sweep?: SweepResults;
  health: RunHealth;
  server?: ServerView;
  sequential?: SequentialRecord;
  reference?: ReferenceOutcome;
}

/**
 * What every phase of one run shares. `clients` are the sides measured: the endpoint, and paired
 * A/B the reference second; each request of the sequence goes to every side at once.
 */
interface RunContext {
  config: MeasureConfig;
  slice: PlanSlice;
  clients: StreamClient[];
  sampler: ReturnType<typeof createSampler>;
  hooks: BenchmarkHooks;
  requestLog: RequestLog | undefined;
  newRecorder: () => RunRecorder;
}

/** A request sent to every side at the same moment; records in the order of the sides. */
function pairedSender(clients: readonly StreamClient[]) {
  return {
    send: (
      planned: Parameters<StreamClient['send']>[0],
      context: Parameters<StreamClient['send']>[1],
    ) => Promise.all(clients.map((client) => client.send(planned, context))),
  };
}

interface Phase {
  label: string;
  concurrency: number;
  requestRate?: number;
  /** The sweep level this phase measures. */
  level?: number;
}

interface MeasuredPhase {
  selfCheck: SelfCheck;
  openLoop: PhaseOutcome['openLoop'];
  /** Per side, set when the phase was stopped: cancelled, or hopeless (unhealthy). */
  stopped: Array<RunHealth | undefined>;
  /** The look (1-based) at which the run was decided and stopped sending. */
  stoppedAtLook?: number;
}

/**
 * The measurement: warm-up, then `trials` measured phases of the seeded request sequence (or one
 * per sweep level), aggregated into histograms. It judges nothing, but it stops a run that is
 * hopeless or cancelled and says so in `health`, keeping what was measured.
 */
export async function runBenchmark(
  config: MeasureConfig,
  mix: Mix,
  hooks: BenchmarkHooks,
): Promise<BenchmarkOutcome> {
  const startedAt = new Date().toISOString();
  const slice = planSlice(config);
  const tokenizer = config.tokenizer ? await loadTokenCounter(config.tokenizer) : undefined;
  const clientFor = (target: { endpoint: string; model: string; apiKey?: string }) =>
    new StreamClient({
      endpoint: target.endpoint,
      api: config.api,
      model: target.model,
      ...(target.apiKey ? { apiKey: target.apiKey } : {}),
      headers: config.headers,
      connections: slice.concurrency,
      timeoutMs: config.timeoutMs,
      ...(tokenizer ? { tokenizer } : {}),
    });
  const clients = [clientFor(config), ...(config.reference ? [clientFor(config.reference)] : [])];
  const client = clients[0]!;
  const fixedLengthRequested =
    config.extraBody.ignore_eos === true || typeof config.extraBody.min_tokens === 'number';
  // A pair waits for its slower request: each side's window is then its busy slots.
  const pairedClosedLoop = config.reference !== undefined && config.requestRate === undefined;
  const context: RunContext = {
    config,
    slice,
    clients,
    sampler: createSampler(mix, {
      seed: config.seed,
      api: config.api,
      extraBody: config.extraBody,
      cacheBust: config.cacheBust,
    }),
    hooks,
    requestLog: config.recordRequests
      ? new RequestLog(config.recordRequests, hooks.secrets)
      : undefined,
    newRecorder: () =>
      new RunRecorder({
        slo: config.slo,
        fixedLengthRequested,
        ...(pairedClosedLoop ? { busyWindowConcurrency: slice.concurrency } : {}),
      }),
  };

  try {
    const models = hooks.servedModels;
    await waitForStartAt(config.startAtEpochMs, hooks);
    const warmup = await runWarmup(context);
    const healthy: RunHealth = { status: 'healthy' };
    let health: RunHealth = warmup.health[0] ?? healthy;
    let referenceHealth: RunHealth = warmup.health[1] ?? healthy;
    const reference = config.reference ? context.newRecorder() : undefined;
    const pairs: RequestPair[] = [];

    const phases = phasesOf(config, slice.concurrency);
    let stoppedAtLook: number | undefined;
    const trials: TrialFigures[] = [];
    const sweepLevels: SweepLevel[] = [];
    // Trials pool into one recorder; each sweep level is a run of its own.
    let recorder = context.newRecorder();
    let selfCheck = IDLE_SELF_CHECK;
    const serverPhases: PhaseScrapes[] = [];
    for (const [position, phase] of phases.entries()) {
      if (health.status !== 'healthy' || referenceHealth.status !== 'healthy') break;
      if (phase.level !== undefined) recorder = context.newRecorder();
      // A trial needs figures of its own only when there are several; otherwise the pooled
      // recorder already holds exactly its requests (the hot path records once).
      const trialRecorder =
        phase.level === undefined && phases.length > 1 ? context.newRecorder() : undefined;
      const sinks = trialRecorder ? [recorder, trialRecorder] : [recorder];
      const scraper = await startPhaseScraper(config, hooks.log);
      const measured = await measurePhase(context, phase, position, {
        sinks,
        ...(reference ? { paired: { reference, pairs } } : {}),
      });
      const scrapes = scraper ? await scraper.stop() : undefined;
      if (scrapes) serverPhases.push(scrapes);
      recorder.closeWindow();
      selfCheck = measured.selfCheck;
      stoppedAtLook ??= measured.stoppedAtLook;
      const phaseSummary = (trialRecorder ?? recorder).finish().summary;
      trials.push(trialFiguresOf(phaseSummary));
      hooks.log(`${phase.label}${describePhase(phaseSummary)}`);
      health = measured.stopped[0] ?? health;
      referenceHealth = measured.stopped[1] ?? referenceHealth;
      if (measured.stopped.some(Boolean)) {
        continue;
      } else if (phase.level !== undefined) {
        const recorded = recorder.finish();
        sweepLevels.push({
          level: phase.level,
          summary: recorded.summary,
          histograms: recorded.histograms.overall,
          trial: trialFiguresOf(recorded.summary),
          selfCheck: measured.selfCheck,
          ...serverViewOf(config, scrapes ? [scrapes] : []),
        });
      }
    }
    const recorded = recorder.finish();
    return {
      ...recorded,
      // A sweep's top-level figures are its last level's: so is its server view.
      ...serverViewOf(config, config.sweep ? serverPhases.slice(-1) : serverPhases),
      ...(config.sweep
        ? {
            sweep: {
              dimension: config.sweep.dimension,
              levels: sweepLevels,
              ...findKnee(sweepLevels, config.slo, (level) =>
                sweepLevelName(config.sweep?.dimension ?? 'concurrency', level),
              ),
            },
          }
        : {}),
      startedAt,
      finishedAt: new Date().toISOString(),
      partial: health.status !== 'healthy' || referenceHealth.status !== 'healthy',
      warmup: warmup.counts[0]!,
      // Sweep levels are different loads, not repeats: only the top level's phase is a trial.
      trials: config.sweep ? trials.slice(-1) : trials,
      selfCheck,
      ...(hooks.looks
        ? {
            sequential: {
              looks: [...hooks.looks.at],
              ...(stoppedAtLook !== undefined ? { stoppedAtLook } : {}),
            },
          }
        : {}),
      endpoint: {
        ...client.facts,
        ...(models ? { models } : {}),
      },
      health,
      ...(reference
        ? {
            reference: referenceOutcome(reference.finish(), {
              warmup: warmup.counts[1]!,
              endpoint: clients[1]!.facts,
              health: referenceHealth,
              pairs,
            }),
          }
        : {}),
    };
  } finally {
    await Promise.all(clients.map((side) => side.close()));
    await context.requestLog?.close();
  }
}

function referenceOutcome(
  recorded: RecordedRun,
  facts: Pick<ReferenceOutcome, 'warmup' | 'endpoint' | 'health' | 'pairs'>,
): ReferenceOutcome {
  return { ...recorded, trials: [trialFiguresOf(recorded.summary)], ...facts };
}

/**
 * One measured phase: a trial or a sweep level. The candidate's requests are recorded into
 * `sinks`; paired, the reference's into its recorder and both into `pairs`. The phase stops early
 * when cancelled or when a side is hopeless, and requests cut short by that stop are dropped (they
 * are not the endpoint's errors).
 */
async function measurePhase(
  context: RunContext,
  phase: Phase,
  position: number,
  recording: {
    sinks: RunRecorder[];
    paired?: { reference: RunRecorder; pairs: RequestPair[] };
  },
): Promise<MeasuredPhase> {
  const { config, slice, hooks } = context;
  const { sinks, paired } = recording;
  const monitor = new SelfCheckMonitor();
  const watches = context.clients.map(
    () =>
      new HealthWatch({
        wave: Math.min(phase.concurrency, slice.requests),
        secrets: hooks.secrets,
      }),
  );
  const guard = guardPhase(hooks, watches, (watch) => watch.hopeless);
  monitor.start();
  const stopProgress = startProgress(
    hooks.log,
    config.progressIntervalMs,
    phase.label,
    slice.requests,
    sinks[sinks.length - 1]!,
    monitor,
  );
  const looks = phase.level === undefined ? hooks.looks : undefined;
  const drain = new AbortController();
  let nextLook = 0;
  let stoppedAtLook: number | undefined;
  // The last look is the budget itself: there the run ends anyway and is judged as it stands.
  const look = (recorder: RunRecorder) => {
    if (!looks || drain.signal.aborted || nextLook >= looks.at.length - 1) return;
    if (recorder.requests < looks.at[nextLook]!) return;
    const index = nextLook++;
    const soFar: MeasuredSoFar = {
      run: recorder.finish(),
      ...(paired ? { paired: { reference: paired.reference.finish(), pairs: paired.pairs } } : {}),
    };
    if (looks.decided(soFar, index)) {
      stoppedAtLook = index + 1;
      drain.abort();
    }
  };
  const outcome = await runPhase({
    sender: pairedSender(context.clients),
    sampler: context.sampler,
    firstIndex: config.warmupRequests + position * config.requests,
    count: slice.requests,
    slice,
    ...(config.durationMs !== undefined ? { durationMs: config.durationMs } : {}),
    concurrency: phase.concurrency,
    ...(phase.requestRate !== undefined
      ? {
          openLoop: {
            ratePerSecond: phase.requestRate,
            arrival: config.arrival,
            burstiness: config.burstiness,
            random: createRandom(config.seed).fork(`arrivals-${position}`),
          },
        }
      : {}),
    onRecord: (records) => {
      if (!guard.accept(records)) return;
      const [record, referenceRecord] = records as [RequestRecord, RequestRecord?];
      for (const sink of sinks) sink.record(record);
      context.requestLog?.write('measured', position, record);
      if (paired && referenceRecord) {
        paired.reference.record(referenceRecord);
        paired.pairs.push({ candidate: record, reference: referenceRecord });
      }
      look(sinks[0]!);
    },
    signal: guard.signal,
    drain: drain.signal,
  });
  stopProgress();
  const selfCheck = monitor.stop(outcome.openLoop);
  const stopped = guard.finish((watch) => watch.hopeless || watch.noneSucceeded, 'measured');
  for (const [side, health] of stopped.entries()) {
    if (health?.status === 'unhealthy') hooks.log(`stopped: ${sideName(side)}${health.reason}`);
  }
  return {
    selfCheck,
    openLoop: outcome.openLoop,
    stopped,
    ...(stoppedAtLook !== undefined ? { stoppedAtLook } : {}),
  };
}

/** How the log names a side: the endpoint is unnamed, as in a run without a reference. */
function sideName(side: number): string {
  return side === 0 ? '' : 'the reference endpoint: ';
}

/**
 * Stops a phase when the run is cancelled or `hopeless(watch)` says so of a side after a record.
 * Records that come back after the stop were cut short by it: they are dropped, not counted as
 * the endpoint's errors, and counted as abandoned for the cancelled verdict.
 */
function guardPhase(
  hooks: BenchmarkHooks,
  watches: readonly HealthWatch[],
  hopeless: (watch: HealthWatch) => boolean,
) {
  const controller = new AbortController();
  // Every request in flight listens on it: many listeners by design, not a leak.
  setMaxListeners(0, controller.signal);
  const follow = () => controller.abort(hooks.signal?.reason);
  if (hooks.signal?.aborted) follow();
  else hooks.signal?.addEventListener('abort', follow, { once: true });
  let abandoned = 0;
  return {
    signal: controller.signal,
    /** Whether the records (one per side) count: false once the phase was stopped. */
    accept(records: readonly RequestRecord[]): boolean {
      if (controller.signal.aborted) {
        abandoned++;
        return false;
      }
      for (const [side, record] of records.entries()) watches[side]?.record(record);
      if (watches.some(hopeless)) controller.abort(new Error('the run is hopeless: stopped early'));
      return true;
    },
    /**
     * After the phase, per side: cancelled, unhealthy (when `unhealthy(watch)`), or undefined
     * when healthy.
     */
    finish(
      unhealthy: (watch: HealthWatch) => boolean,
      phase: 'warm-up' | 'measured',
    ): Array<RunHealth | undefined> {
      hooks.signal?.removeEventListener('abort', follow);
      if (hooks.signal?.aborted) {
        const cancelled: RunHealth = {
          status: 'cancelled',
          reason: `${plural(abandoned, 'in-flight request')} abandoned`,
        };
        return watches.map(() => cancelled);
      }
      return watches.map((watch) => (unhealthy(watch) ? watch.verdict(phase) : undefined));
    },
  };
}

/** Trials repeat one load; a sweep measures one phase per level (its trials are 1 each). */
function phasesOf(config: MeasureConfig, concurrency: number): Phase[] {
  const sweep = config.sweep;
  if (sweep) {
    return sweep.levels.map((level) =>
      sweep.dimension === 'concurrency'
        ? { label: `concurrency ${level}: `, concurrency: level, level }
        : { label: `${level} req/s: `, concurrency, requestRate: level, level },
    );
  }
  return Array.from({ length: config.trials }, (_, trial) => ({
    label: config.trials > 1 ? `trial ${trial + 1}/${config.trials}: ` : '',
    concurrency,
    ...(config.requestRate !== undefined ? { requestRate: config.requestRate } : {}),
  }));
}

/**
 * Warm-up requests are discarded from the figures, but they are the first word on the run's
 * health: when a whole wave of them fails on a side and none succeeds, nothing is measured.
 * Counts and health are per side.
 */
async function runWarmup(context: RunContext): Promise<{
  counts: Array<{ requests: number; failed: number }>;
  health: Array<RunHealth | undefined>;
}> {
  const { slice, hooks } = context;
  if (slice.warmupRequests === 0) {
    return { counts: context.clients.map(() => ({ requests: 0, failed: 0 })), health: [] };
  }
  hooks.log(`warm-up: ${slice.warmupRequests} requests`);
  const concurrency = Math.min(slice.concurrency, slice.warmupRequests);
  const watches = context.clients.map(
    () => new HealthWatch({ wave: concurrency, secrets: hooks.secrets }),
  );
  const guard = guardPhase(hooks, watches, (watch) => watch.allFailed);
  await runPhase({
    sender: pairedSender(context.clients),
    sampler: context.sampler,
    firstIndex: 0,
    count: slice.warmupRequests,
    slice,
    concurrency,
    onRecord: (records) => {
      if (guard.accept(records)) context.requestLog?.write('warmup', 0, records[0]!);
    },
    signal: guard.signal,
  });
  const counts = watches.map((watch) => watch.counts);
  const health = guard.finish((watch) => watch.allFailed, 'warm-up');
  for (const [side, watch] of watches.entries()) {
    const sideHealth = health[side];
    if (sideHealth?.status === 'unhealthy') {
      hooks.log(`stopped before measuring: ${sideName(side)}${sideHealth.reason}`);
    } else if (!sideHealth && watch.counts.failed > 0) {
      hooks.log(
        `warm-up: ${sideName(side)}${watch.counts.failed} of ${watch.counts.requests} failed; ${watch.verdict('warm-up').reason}`,
      );
    }
  }
  return { counts, health };
}
