import { weakestTokenCounting } from '../client/token-count.js';
import { type TokenCounting } from '../domain/request.js';
import type { RequestRecord } from '../client/types.js';
import type { ErrorClass } from '../domain/request.js';
import type { Slo } from '../domain/config.js';
import {
  DISTRIBUTIONS,
  type ClassFigures,
  type DistributionName,
  type Distributions,
  type EncodedHistograms,
  type OutputLengthFacts,
  type RunSummary,
} from '../domain/results.js';
import {
  createHistogram,
  encodeHistogram,
  percentileMs,
  recordMs,
  summarizeHistogram,
  type Histogram,
} from './histogram.js';

/** Counters and histograms of one group of requests (the whole run or one class). */
class Accumulator {
  readonly histograms = Object.fromEntries(
    DISTRIBUTIONS.map((name) => [name, createHistogram()]),
  ) as Record<DistributionName, Histogram>;
  requests = 0;
  succeeded = 0;
  failed = 0;
  outputTokens = 0;
  inputTokens = 0;
  estimatedTokenRequests = 0;
  tokenCounting: TokenCounting = 'usage';
  goodRequests = 0;
  readonly errorsByClass: Partial<Record<ErrorClass, number>> = {};

  add(record: RequestRecord, meetsSlo: boolean): void {
    this.requests++;
    const h = this.histograms;
    recordMs(h.scheduleDelay, record.scheduleDelayMs);
    if (!record.ok) {
      this.failed++;
      const errorClass = record.errorClass ?? 'protocol';
      this.errorsByClass[errorClass] = (this.errorsByClass[errorClass] ?? 0) + 1;
      return;
    }
    this.succeeded++;
    this.outputTokens += record.outputTokens;
    this.inputTokens += record.inputTokens ?? 0;
    if (record.outputTokensEstimated) this.estimatedTokenRequests++;
    if (record.tokenCounting !== this.tokenCounting) {
      this.tokenCounting = weakestTokenCounting([this.tokenCounting, record.tokenCounting]);
    }
    if (meetsSlo) this.goodRequests++;
    forEachSample(record, (distribution, valueMs) => recordMs(h[distribution], valueMs));
  }

  figures(): ClassFigures {
    return {
      requests: this.requests,
      succeeded: this.succeeded,
      failed: this.failed,
      errorRate: this.requests > 0 ? this.failed / this.requests : 0,
      errorsByClass: { ...this.errorsByClass },
      distributions: Object.fromEntries(
        DISTRIBUTIONS.map((name) => [name, summarizeHistogram(this.histograms[name])]),
      ) as Distributions,
      outputTokens: this.outputTokens,
      inputTokens: this.inputTokens,
      estimatedTokenRequests: this.estimatedTokenRequests,
      tokenCounting: this.tokenCounting,
      goodRequests: this.goodRequests,
    };
  }

  encoded(): EncodedHistograms {
    return Object.fromEntries(
      DISTRIBUTIONS.map((name) => [name, encodeHistogram(this.histograms[name])]),
    ) as EncodedHistograms;
  }
}

/**
 * The summary's rates: output and input tokens, successful requests and (with SLOs) good
 * requests, per second of the measurement window. The one arithmetic for a recorder's run and
 * for shards merged over the union of their windows.
 */
export function ratesOf(
  figures: Pick<ClassFigures, 'outputTokens' | 'inputTokens' | 'succeeded' | 'goodRequests'>,
  windowMs: number,
  withGoodput: boolean,
): Pick<
  RunSummary,
  | 'outputTokensPerSecond'
  | 'inputTokensPerSecond'
  | 'requestsPerSecond'
  | 'goodputRequestsPerSecond'
> {
  const perSecond = (value: number) => (windowMs > 0 ? value / (windowMs / 1000) : 0);
  return {
    outputTokensPerSecond: perSecond(figures.outputTokens),
    inputTokensPerSecond: perSecond(figures.inputTokens),
    requestsPerSecond: perSecond(figures.succeeded),
    ...(withGoodput ? { goodputRequestsPerSecond: perSecond(figures.goodRequests) } : {}),
  };
}

/**
 * The samples a successful request adds to each latency distribution (the schedule delay, which
 * every request adds, is the recorder's): the one mapping from a request to the distributions.
 */
export function forEachSample(
  record: RequestRecord,
  visit: (distribution: Exclude<DistributionName, 'scheduleDelay'>, valueMs: number) => void,
  only?: DistributionName,
): void {
  // One distribution asked for: a request's inter-token gaps are most of its samples.
  if (only === 'itl') {
    for (const gapMs of record.itlMs) visit('itl', gapMs);
    return;
  }
  if (record.ttfbMs !== undefined) visit('ttfb', record.ttfbMs);
  if (record.ttftMs !== undefined) {
    visit('ttft', record.ttftMs);
    visit('ttftFromSchedule', record.ttftMs + record.scheduleDelayMs);
  }
  if (record.ttfoMs !== undefined) visit('ttfo', record.ttfoMs);
  visit('e2e', record.e2eMs);
  if (only === undefined) for (const gapMs of record.itlMs) visit('itl', gapMs);
  const tpotMs = tpotOf(record);
  if (tpotMs !== undefined) visit('tpot', tpotMs);
}

/** TPOT as vLLM defines it: (e2e − TTFT) / (output tokens − 1). */
export function tpotOf(record: RequestRecord): number | undefined {
  if (record.ttftMs === undefined || record.outputTokens < 2) return undefined;
  return (record.e2eMs - record.ttftMs) / (record.outputTokens - 1);
}

export function meetsSlo(record: RequestRecord, slo: Slo): boolean {
  if (!record.ok) return false;
  if (slo.ttftMs !== undefined && (record.ttftMs ?? Infinity) > slo.ttftMs) return false;
  const tpotMs = tpotOf(record);
  if (slo.tpotMs !== undefined && tpotMs !== undefined && tpotMs > slo.tpotMs) return false;
  if (slo.e2eMs !== undefined && record.e2eMs > slo.e2eMs) return false;
  return true;
}

export interface RecorderOptions {
  slo: Slo;
  /** ignore_eos or min_tokens was asked for: every output should be exactly max_tokens long. */
  fixedLengthRequested: boolean;
  /**
   * Paired closed loop (src/load/pairing.ts): each pair waits for its slower request, so the span
   * is the slower side's. The window is then the time this side's slots were busy (Σ e2e over
   * the concurrency): the throughput it sustains, by Little's law, without the partner's waits.
   */
  busyWindowConcurrency?: number;
}

export interface RecordedRun {
  summary: RunSummary;
  perClass: Record<string, ClassFigures>;
  histograms: { overall: EncodedHistograms; perClass: Record<string, EncodedHistograms> };
}

/**
 * Aggregates measured requests into HDR histograms and counters: memory stays flat however long
 * the run, since no per-request sample is kept.
 */
export class RunRecorder {
  readonly #overall = new Accumulator();
  readonly #perClass = new Map<string, Accumulator>();
  readonly #options: RecorderOptions;
  #windowStartMs = Infinity;
  #windowEndMs = -Infinity;
  /** Windows of earlier trials: the pauses between trials are not part of any window. */
  #closedWindowsMs = 0;
  #busyMs = 0;
  #firstStartMs = Infinity;
  #lastEndMs = -Infinity;
  #requestedMin = Infinity;
  #requestedMax = -Infinity;
  #receivedMin = Infinity;
  #receivedMax = -Infinity;
  #shorterThanRequested = 0;
  /** The first message of each error class (redacted when the results are built). */
  readonly #firstErrors: Partial<Record<ErrorClass, string>> = {};

  constructor(options: RecorderOptions) {
    this.#options = options;
  }

  get requests(): number {
    return this.#overall.requests;
  }

  get failed(): number {
    return this.#overall.failed;
  }

  ttftP95SoFarMs(): number {
    return percentileMs(this.#overall.histograms.ttft, 95);
  }

  record(record: RequestRecord): void {
    const good = this.#options.slo && meetsSlo(record, this.#options.slo);
    this.#overall.add(record, good);
    let classAccumulator = this.#perClass.get(record.className);
    if (!classAccumulator) {
      classAccumulator = new Accumulator();
      this.#perClass.set(record.className, classAccumulator);
    }
    classAccumulator.add(record, good);
    if (!record.ok && record.errorMessage !== undefined) {
      this.#firstErrors[record.errorClass ?? 'protocol'] ??= record.errorMessage;
    }
    this.#busyMs += record.e2eMs;
    this.#windowStartMs = Math.min(this.#windowStartMs, record.startMs);
    this.#windowEndMs = Math.max(this.#windowEndMs, record.startMs + record.e2eMs);
    this.#firstStartMs = Math.min(this.#firstStartMs, record.startMs);
    this.#lastEndMs = Math.max(this.#lastEndMs, record.startMs + record.e2eMs);
    this.#requestedMin = Math.min(this.#requestedMin, record.maxTokens);
    this.#requestedMax = Math.max(this.#requestedMax, record.maxTokens);
    if (record.ok) {
      this.#receivedMin = Math.min(this.#receivedMin, record.outputTokens);
      this.#receivedMax = Math.max(this.#receivedMax, record.outputTokens);
      if (record.outputTokens < record.maxTokens) this.#shorterThanRequested++;
    }
  }

  windowMs(): number {
    if (this.#options.busyWindowConcurrency !== undefined) {
      return this.#busyMs / this.#options.busyWindowConcurrency;
    }
    const openWindowMs =
      this.#windowEndMs > this.#windowStartMs ? this.#windowEndMs - this.#windowStartMs : 0;
    return this.#closedWindowsMs + openWindowMs;
  }

  /** Starts a new measurement window (the next trial) without forgetting the samples. */
  closeWindow(): void {
    this.#closedWindowsMs = this.windowMs();
    this.#windowStartMs = Infinity;
    this.#windowEndMs = -Infinity;
  }

  finish(): RecordedRun {
    const figures = this.#overall.figures();
    const hasSlo = Object.values(this.#options.slo).some((value) => value !== undefined);
    const summary: RunSummary = {
      ...figures,
      windowMs: this.windowMs(),
      windowStartEpochMs: toEpochMs(this.#firstStartMs),
      windowEndEpochMs: toEpochMs(this.#lastEndMs),
      ...ratesOf(figures, this.windowMs(), hasSlo),
      outputLength: this.#outputLength(),
      ...(Object.keys(this.#firstErrors).length > 0
        ? { firstErrors: { ...this.#firstErrors } }
        : {}),
    };
    const perClass: Record<string, ClassFigures> = {};
    const perClassHistograms: Record<string, EncodedHistograms> = {};
    for (const [name, accumulator] of [...this.#perClass].sort(([a], [b]) => a.localeCompare(b))) {
      perClass[name] = accumulator.figures();
      perClassHistograms[name] = accumulator.encoded();
    }
    return {
      summary,
      perClass,
      histograms: { overall: this.#overall.encoded(), perClass: perClassHistograms },
    };
  }

  #outputLength(): OutputLengthFacts {
    const finite = (value: number) => (Number.isFinite(value) ? value : 0);
    return {
      requestedMin: finite(this.#requestedMin),
      requestedMax: finite(this.#requestedMax),
      receivedMin: finite(this.#receivedMin),
      receivedMax: finite(this.#receivedMax),
      shorterThanRequested: this.#shorterThanRequested,
      fixedLengthIgnored: this.#options.fixedLengthRequested && this.#shorterThanRequested > 0,
    };
  }
}

/** performance.now() values to wall-clock epoch ms (0 when nothing was measured). */
function toEpochMs(monotonicMs: number): number {
  return Number.isFinite(monotonicMs) ? Math.round(performance.timeOrigin + monotonicMs) : 0;
}
