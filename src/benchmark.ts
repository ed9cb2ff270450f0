import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { StreamClient } from './client/stream-request.js';
import type { RequestRecord } from './client/types.js';
import type { RunConfig } from './config/types.js';
import { EndpointError } from './errors.js';
import { runPhase, type PhaseOutcome } from './load/runner.js';
import { SelfCheckMonitor } from './load/self-check.js';
import { waitForStartAt } from './load/start-at.js';
import { RunRecorder, trialFiguresOf } from './metrics/recorder.js';
import { createRandom } from './random.js';
import { findKnee } from './load/knee.js';
import type {
  EndpointFacts,
  RunSummary,
  SelfCheck,
  SweepLevel,
  SweepResults,
  TrialFigures,
} from './results/types.js';
import { redactSecrets } from './secrets.js';
import { createSampler } from './workload/index.js';
import type { Mix } from './workload/types.js';
import type { RecordedRun } from './metrics/recorder.js';

export interface BenchmarkHooks {
  log: (line: string) => void;
  warn?: (line: string) => void;
  signal?: AbortSignal;
  secrets: readonly string[];
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
}

/** This job's share of the plan: everything when unsharded. */
export interface PlanSlice {
  offset: number;
  step: number;
  requests: number;
  warmupRequests: number;
  concurrency: number;
}

/** Splits requests round-robin and concurrency as evenly as whole numbers allow. */
export function planSlice(config: RunConfig): PlanSlice {
  const { index, count } = config.shard ?? { index: 1, count: 1 };
  const offset = index - 1;
  const share = (total: number) => Math.floor(total / count) + (offset < total % count ? 1 : 0);
  return {
    offset,
    step: count,
    requests: share(config.requests),
    warmupRequests: share(config.warmupRequests),
    concurrency: Math.max(1, share(config.concurrency)),
  };
}

/** Errors that mean nothing reached a server: if every warm-up request has one, stop early. */
const UNREACHABLE = new Set(['connect', 'dns', 'tls']);

/**
 * The measurement: warm-up, then `trials` measured phases of the seeded request sequence,
 * aggregated into histograms. Pure of reporting: it returns figures and leaves judging to others.
 */
export async function runBenchmark(
  config: RunConfig,
  mix: Mix,
  hooks: BenchmarkHooks,
): Promise<BenchmarkOutcome> {
  const startedAt = new Date().toISOString();
  const slice = planSlice(config);
  const client = new StreamClient({
    endpoint: config.endpoint,
    api: config.api,
    model: config.model,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    headers: config.headers,
    connections: slice.concurrency,
    timeoutMs: config.timeoutMs,
  });
  const sampler = createSampler(mix, {
    seed: config.seed,
    api: config.api,
    extraBody: config.extraBody,
    cacheBust: config.cacheBust,
  });
  const requestLog = config.recordRequests ? openRequestLog(config.recordRequests) : undefined;
  const fixedLengthRequested =
    config.extraBody.ignore_eos === true || typeof config.extraBody.min_tokens === 'number';
  const trials: TrialFigures[] = [];
  const sweepLevels: SweepLevel[] = [];
  let monitor = new SelfCheckMonitor();
  let interrupted: boolean;
  let openLoopOutcome: PhaseOutcome['openLoop'];

  try {
    // Only a baseline comparison uses the model list; a plain report sends nothing but the run.
    const models = config.mode === 'report' ? undefined : await client.probeModels();
    await waitForStartAt(config.startAtEpochMs, hooks);
    const warmup = await runWarmup(config, slice, client, sampler, hooks, requestLog);
    interrupted = hooks.signal?.aborted ?? false;

    const phases = phasesOf(config, slice.concurrency);
    let pooled = new RunRecorder({ slo: config.slo, fixedLengthRequested });
    monitor.start();
    for (const [position, phase] of phases.entries()) {
      if (interrupted) break;
      // A phase needs figures of its own only when it is one of several trials of one load;
      // otherwise the pooled recorder already holds exactly its requests (the hot path records once).
      const ownFigures = phase.level === undefined && phases.length > 1;
      const recorder = pooled;
      const phaseRecorder = ownFigures
        ? new RunRecorder({ slo: config.slo, fixedLengthRequested })
        : recorder;
      const stopProgress = startProgress(
        hooks,
        config.progressIntervalMs,
        phase.label,
        slice.requests,
        phaseRecorder,
        monitor,
      );
      const outcome = await runPhase({
        sender: client,
        sampler,
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
        onRecord: (record) => {
          recorder.record(record);
          if (ownFigures) phaseRecorder.record(record);
          requestLog?.write(logLine('measured', position, record, hooks.secrets));
        },
        ...(hooks.signal ? { signal: hooks.signal } : {}),
      });
      stopProgress();
      interrupted = outcome.interrupted;
      openLoopOutcome = outcome.openLoop;
      const phaseSummary = phaseRecorder.finish().summary;
      recorder.closeWindow();
      trials.push(trialFiguresOf(phaseSummary));
      hooks.log(`${phase.label}${describeProgress(phaseSummary)}`);
      if (phase.level !== undefined && !interrupted) {
        // Each sweep level is a run of its own: its figures, then fresh ones for the next level.
        sweepLevels.push(finishLevel(phase.level, recorder, monitor, openLoopOutcome));
        if (position < phases.length - 1) {
          pooled = new RunRecorder({ slo: config.slo, fixedLengthRequested });
          monitor = new SelfCheckMonitor();
          monitor.start();
        }
      }
    }
    const selfCheck = sweepLevels.at(-1)?.selfCheck ?? monitor.stop(openLoopOutcome);
    const recorded = pooled.finish();
    return {
      ...recorded,
      ...(config.sweep
        ? {
            sweep: {
              dimension: config.sweep.dimension,
              levels: sweepLevels,
              ...withKnee(findKnee(sweepLevels, config.slo)),
            },
          }
        : {}),
      startedAt,
      finishedAt: new Date().toISOString(),
      partial: interrupted,
      warmup,
      // Sweep levels are different loads, not repeats: only the top level's phase is a trial.
      trials: config.sweep ? trials.slice(-1) : trials,
      selfCheck,
      endpoint: {
        ...client.facts,
        ...(models ? { models } : {}),
      },
    };
  } finally {
    await client.close();
    await new Promise<void>((resolve) => (requestLog ? requestLog.end(resolve) : resolve()));
  }
}

interface Phase {
  label: string;
  concurrency: number;
  requestRate?: number;
  /** The sweep level this phase measures. */
  level?: number;
}

/** Trials repeat one load; a sweep measures one phase per level (its trials are 1 each). */
function phasesOf(config: RunConfig, concurrency: number): Phase[] {
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

function finishLevel(
  level: number,
  recorder: RunRecorder,
  monitor: SelfCheckMonitor,
  openLoop: PhaseOutcome['openLoop'],
): SweepLevel {
  const recorded = recorder.finish();
  return {
    level,
    summary: recorded.summary,
    histograms: recorded.histograms.overall,
    trial: trialFiguresOf(recorded.summary),
    selfCheck: monitor.stop(openLoop),
  };
}

function withKnee(knee: SweepResults['knee']): Pick<SweepResults, 'knee'> {
  return knee ? { knee } : {};
}

async function runWarmup(
  config: RunConfig,
  slice: PlanSlice,
  client: StreamClient,
  sampler: ReturnType<typeof createSampler>,
  hooks: BenchmarkHooks,
  requestLog: WriteStream | undefined,
): Promise<{ requests: number; failed: number }> {
  if (slice.warmupRequests === 0) return { requests: 0, failed: 0 };
  hooks.log(`warm-up: ${slice.warmupRequests} requests`);
  const failures: RequestRecord[] = [];
  let requests = 0;
  await runPhase({
    sender: client,
    sampler,
    firstIndex: 0,
    count: slice.warmupRequests,
    slice,
    concurrency: Math.min(slice.concurrency, slice.warmupRequests),
    onRecord: (record) => {
      requests++;
      if (!record.ok) failures.push(record);
      requestLog?.write(logLine('warmup', 0, record, hooks.secrets));
    },
    ...(hooks.signal ? { signal: hooks.signal } : {}),
  });
  const first = failures[0];
  if (
    first &&
    failures.length === requests &&
    failures.every((r) => UNREACHABLE.has(r.errorClass ?? ''))
  ) {
    throw new EndpointError(
      `endpoint ${config.endpoint} is unreachable: every warm-up request failed (${first.errorClass}: ${redactSecrets(first.errorMessage ?? '', hooks.secrets)})`,
    );
  }
  if (failures.length > 0) {
    hooks.log(
      `warm-up: ${failures.length} of ${requests} failed, e.g. ${first?.errorClass}: ${redactSecrets(first?.errorMessage ?? '', hooks.secrets)}`,
    );
  }
  return { requests, failed: failures.length };
}

function startProgress(
  hooks: BenchmarkHooks,
  intervalMs: number,
  label: string,
  totalRequests: number,
  recorder: RunRecorder,
  monitor: SelfCheckMonitor,
): () => void {
  const startedMs = performance.now();
  const timer = setInterval(() => {
    const seconds = (performance.now() - startedMs) / 1000;
    const rate = seconds > 0 ? recorder.requests / seconds : 0;
    hooks.log(
      `${label}${recorder.requests}/${totalRequests} requests · ${rate.toFixed(1)} req/s · ` +
        `errors ${recorder.failed} · TTFT p95 ${recorder.ttftP95SoFarMs().toFixed(0)} ms · ` +
        `client loop ${(monitor.utilizationSoFar() * 100).toFixed(0)}% busy`,
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function describeProgress(summary: RunSummary): string {
  const d = summary.distributions;
  return (
    `measured ${summary.requests} requests in ${(summary.windowMs / 1000).toFixed(1)} s · ` +
    `errors ${summary.failed} · TTFT p95 ${d.ttft.p95Ms.toFixed(1)} ms · ` +
    `ITL p95 ${d.itl.p95Ms.toFixed(1)} ms · ${summary.outputTokensPerSecond.toFixed(1)} output tok/s`
  );
}

function openRequestLog(path: string): WriteStream {
  mkdirSync(dirname(path), { recursive: true });
  return createWriteStream(path, { flags: 'w' });
}

function logLine(
  phase: 'warmup' | 'measured',
  trial: number,
  record: RequestRecord,
  secrets: readonly string[],
): string {
  const { itlMs, errorMessage, ...rest } = record;
  return `${JSON.stringify({
    phase,
    trial,
    ...rest,
    ...(errorMessage !== undefined ? { errorMessage: redactSecrets(errorMessage, secrets) } : {}),
    itlCount: itlMs.length,
  })}\n`;
}
