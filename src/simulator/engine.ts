import type { Random } from '../random.js';
import { realClock, type Clock } from './clock.js';
import { Deadline } from './deadline.js';
import { createSlowdown } from './slowdown.js';

/**
 * A model of a continuous-batching server (vLLM, SGLang, TGI). Requests wait in a FIFO queue
 * until the batch has room; admitted sequences are prefilled together in passes (one pass at a
 * time, costing a fixed overhead plus a cost per input token of all of them); prefilled sequences
 * join the decode batch, where every step emits one token to each running sequence and takes
 * longer the larger the batch. Prefill runs beside decode rather than pausing it (as with chunked
 * prefill), so decode steps only feel the batch size.
 */
export interface EngineTimings {
  prefillBaseMs: number;
  prefillMsPerToken: number;
  decodeStepMs: number;
  decodeStepMsPerSequence: number;
  maxBatch: number;
  /** Log-normal sigma of a multiplicative factor on each prefill pass and decode step. */
  jitter: number;
  ttftScale: number;
  itlScale: number;
  /**
   * A shared slowdown exp(x(t)) on every prefill pass and decode step, x an Ornstein–Uhlenbeck
   * log random walk of this volatility per √second (src/simulator/slowdown.ts); default 0, off.
   */
  slowdownSigma?: number;
  /** Default 10 s. */
  slowdownReversionSeconds?: number;
  /** Default 1. */
  slowdownSeed?: number;
  /** Epoch ms where the slowdown path starts; default when the engine was created. */
  slowdownStartEpochMs?: number;
  /**
   * KV-cache capacity in tokens (prompt + generated of every running sequence). When decoding
   * would overflow it, the newest sequence is preempted: back to the head of the queue, to be
   * prefilled again with what it had generated (vLLM's recompute preemption). Default: no limit.
   */
  kvCacheTokens?: number;
}

/** What the engine reports as it goes (the simulator's /metrics listens); times in ms. */
export interface EngineObserver {
  /** A sequence got its first batch slot after waiting `queueMs`. */
  admitted(queueMs: number): void;
  /** A prefill pass computed these prompt tokens. */
  prefilled(promptTokens: number): void;
  /** A token was produced: `sinceArrivalMs` for the first, `gapMs` since the previous otherwise. */
  token(first: boolean, ms: number): void;
  /** The last token: e2e since arrival, TTFT and the sequence's output tokens. */
  finished(e2eMs: number, ttftMs: number, outputTokens: number): void;
  preempted(): void;
}

export interface SequenceCallbacks {
  /** Prefill is done; tokens follow from the next decode step on. */
  onPrefilled(): void;
  /** Token `index` (0-based) was produced; `isLast` once the sequence has all its tokens. */
  onToken(index: number, isLast: boolean): void;
}

export interface SequenceHandle {
  /** Takes the sequence out of the queue or batch; safe to call at any time, more than once. */
  cancel(): void;
}

interface Sequence {
  inputTokens: number;
  outputTokens: number;
  produced: number;
  state: 'queued' | 'prefill' | 'decode' | 'done';
  callbacks: SequenceCallbacks;
  arrivedAtMs: number;
  /** Set at the first admission: a preempted sequence's queue time is not counted twice. */
  admitted: boolean;
  /** Set after the first prefill: a preempted sequence is prefilled again without telling. */
  prefilled: boolean;
  firstTokenAtMs?: number;
  lastTokenAtMs?: number;
}

export class BatchEngine {
  // Sets iterate in insertion order, so they serve as FIFO queues with O(1) removal.
  private readonly queue = new Set<Sequence>();
  private readonly awaitingPrefill = new Set<Sequence>();
  private readonly inPrefillPass = new Set<Sequence>();
  private readonly decoding = new Set<Sequence>();
  private prefillTimer: Deadline | undefined;
  /** Due at an absolute time, so timer lateness does not accumulate from step to step. */
  private stepTimer: Deadline | undefined;
  private stopped = false;

  constructor(
    private readonly timings: EngineTimings,
    private readonly random: Random,
    /**
     * The clock (tests pass a manual one), who hears of admissions and steps (/metrics), and
     * the epoch ms at the clock's zero (default performance.timeOrigin, right for the real
     * clock), which turns the clock into the wall-clock time the slowdown path is indexed by.
     */
    options: { clock?: Clock; observer?: EngineObserver; epochAtClockZeroMs?: number } = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.observer = options.observer;
    this.epochAtClockZeroMs = options.epochAtClockZeroMs ?? performance.timeOrigin;
    this.slowdown = createSlowdown({
      sigma: timings.slowdownSigma ?? 0,
      reversionSeconds: timings.slowdownReversionSeconds ?? 10,
      seed: timings.slowdownSeed ?? 1,
      startEpochMs: timings.slowdownStartEpochMs ?? this.epochAtClockZeroMs + this.clock.now(),
    });
  }

  private readonly clock: Clock;
  private readonly observer: EngineObserver | undefined;
  private readonly epochAtClockZeroMs: number;
  /** The slowdown factor at an epoch time; always 1 when off. */
  private readonly slowdown: (epochMs: number) => number;

  /** Prompt and generated tokens of the sequences holding a batch slot (their KV cache). */
  get kvCacheTokensHeld(): number {
    let held = 0;
    for (const set of [this.awaitingPrefill, this.inPrefillPass, this.decoding]) {
      for (const sequence of set) held += sequence.inputTokens + sequence.produced;
    }
    return held;
  }

  /** Fraction 0..1 of the KV cache in use; 0 without a capacity. */
  get kvCacheUsage(): number {
    const capacity = this.timings.kvCacheTokens;
    return capacity ? Math.min(1, this.kvCacheTokensHeld / capacity) : 0;
  }

  /** Sequences holding a batch slot: awaiting prefill, prefilling or decoding. */
  get running(): number {
    return this.awaitingPrefill.size + this.inPrefillPass.size + this.decoding.size;
  }

  get queued(): number {
    return this.queue.size;
  }

  /** Queues a sequence; `outputTokens` must be at least 1. */
  submit(inputTokens: number, outputTokens: number, callbacks: SequenceCallbacks): SequenceHandle {
    const sequence: Sequence = {
      inputTokens,
      outputTokens,
      produced: 0,
      state: 'queued',
      callbacks,
      arrivedAtMs: this.clock.now(),
      admitted: false,
      prefilled: false,
    };
    if (this.stopped) {
      sequence.state = 'done';
      return { cancel: () => {} };
    }
    this.queue.add(sequence);
    this.admit();
    return { cancel: () => this.cancel(sequence) };
  }

  /** Drops every sequence and timer; callbacks are not called again. */
  stop(): void {
    this.stopped = true;
    this.prefillTimer?.cancel();
    this.stepTimer?.cancel();
    for (const set of [this.queue, this.awaitingPrefill, this.inPrefillPass, this.decoding]) {
      for (const sequence of set) sequence.state = 'done';
      set.clear();
    }
  }

  private cancel(sequence: Sequence): void {
    if (sequence.state === 'done') return;
    this.queue.delete(sequence);
    this.awaitingPrefill.delete(sequence);
    this.inPrefillPass.delete(sequence);
    this.decoding.delete(sequence);
    sequence.state = 'done';
    this.admit();
  }

  private admit(): void {
    if (this.stopped) return;
    const capacity = this.timings.kvCacheTokens ?? Infinity;
    let held = this.kvCacheTokensHeld;
    for (const sequence of this.queue) {
      if (this.running >= this.timings.maxBatch) break;
      const needs = sequence.inputTokens + sequence.produced;
      // An empty batch always takes the head of the queue, or a long prompt would wait forever.
      if (this.running > 0 && held + needs > capacity) break;
      held += needs;
      this.queue.delete(sequence);
      sequence.state = 'prefill';
      this.awaitingPrefill.add(sequence);
      if (!sequence.admitted) {
        sequence.admitted = true;
        this.observer?.admitted(this.clock.now() - sequence.arrivedAtMs);
      }
    }
    this.startPrefillPass();
  }

  /** Decoding would overflow the KV cache: the newest sequences go back to the queue's head. */
  private preemptOverflow(): void {
    const capacity = this.timings.kvCacheTokens;
    if (capacity === undefined) return;
    let held = this.kvCacheTokensHeld;
    while (held > capacity && this.decoding.size > 1) {
      const newest = [...this.decoding].at(-1)!;
      this.decoding.delete(newest);
      held -= newest.inputTokens + newest.produced;
      newest.state = 'queued';
      const waiting = [...this.queue];
      this.queue.clear();
      for (const sequence of [newest, ...waiting]) this.queue.add(sequence);
      this.observer?.preempted();
    }
  }

  private startPrefillPass(): void {
    if (this.prefillTimer !== undefined || this.awaitingPrefill.size === 0) return;
    let inputTokens = 0;
    for (const sequence of this.awaitingPrefill) {
      this.inPrefillPass.add(sequence);
      // A preempted sequence recomputes what it had generated too.
      inputTokens += sequence.inputTokens + sequence.produced;
    }
    this.awaitingPrefill.clear();
    const { prefillBaseMs, prefillMsPerToken, ttftScale } = this.timings;
    const durationMs =
      (prefillBaseMs + prefillMsPerToken * inputTokens) *
      ttftScale *
      this.jitterFactor() *
      this.slowdownFactor();
    this.prefillTimer = new Deadline(
      this.clock.now() + durationMs,
      () => this.finishPrefillPass(),
      this.clock,
    );
  }

  private finishPrefillPass(): void {
    this.prefillTimer = undefined;
    const finished = [...this.inPrefillPass];
    this.inPrefillPass.clear();
    for (const sequence of finished) {
      sequence.state = 'decode';
      this.decoding.add(sequence);
    }
    for (const sequence of finished) {
      this.observer?.prefilled(sequence.inputTokens + sequence.produced);
      // An earlier callback may have cancelled this sequence.
      if (sequence.state === 'decode' && !sequence.prefilled) {
        sequence.prefilled = true;
        sequence.callbacks.onPrefilled();
      }
    }
    this.startPrefillPass();
    if (this.stepTimer === undefined) this.scheduleStep(this.clock.now());
  }

  /** Schedules the next step `stepDuration` after `fromMs`, or at once if that is already past. */
  private scheduleStep(fromMs: number): void {
    if (this.stopped || this.decoding.size === 0) return;
    const dueMs = Math.max(fromMs + this.stepDurationMs(), this.clock.now());
    this.stepTimer = new Deadline(dueMs, () => this.runStep(dueMs), this.clock);
  }

  private runStep(dueMs: number): void {
    this.stepTimer = undefined;
    for (const sequence of [...this.decoding]) {
      // An earlier callback in this step may have cancelled this sequence.
      if (sequence.state !== 'decode') continue;
      const index = sequence.produced++;
      const isLast = sequence.produced >= sequence.outputTokens;
      if (isLast) {
        sequence.state = 'done';
        this.decoding.delete(sequence);
      }
      this.observe(sequence, isLast);
      sequence.callbacks.onToken(index, isLast);
    }
    this.preemptOverflow();
    this.admit();
    // Continue the timeline from the step's target, not from when the timer actually fired.
    if (this.stepTimer === undefined) this.scheduleStep(dueMs);
  }

  private observe(sequence: Sequence, isLast: boolean): void {
    const now = this.clock.now();
    const observer = this.observer;
    if (observer) {
      if (sequence.firstTokenAtMs === undefined) observer.token(true, now - sequence.arrivedAtMs);
      else observer.token(false, now - (sequence.lastTokenAtMs ?? now));
    }
    sequence.firstTokenAtMs ??= now;
    sequence.lastTokenAtMs = now;
    if (isLast) {
      observer?.finished(
        now - sequence.arrivedAtMs,
        sequence.firstTokenAtMs - sequence.arrivedAtMs,
        sequence.produced,
      );
    }
  }

  private stepDurationMs(): number {
    const { decodeStepMs, decodeStepMsPerSequence, itlScale } = this.timings;
    const extraSequences = Math.max(0, this.decoding.size - 1);
    return (
      (decodeStepMs + decodeStepMsPerSequence * extraSequences) *
      itlScale *
      this.jitterFactor() *
      this.slowdownFactor()
    );
  }

  /** At the time the pass or step starts, on the wall clock shared with other simulators. */
  private slowdownFactor(): number {
    return this.slowdown(this.epochAtClockZeroMs + this.clock.now());
  }

  private jitterFactor(): number {
    return this.timings.jitter > 0 ? this.random.logNormal(1, this.timings.jitter) : 1;
  }
}
