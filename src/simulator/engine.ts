import type { Random } from '../random.js';
import { realClock, type Clock } from './clock.js';
import { Deadline } from './deadline.js';

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
    private readonly clock: Clock = realClock,
  ) {}

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
    for (const sequence of this.queue) {
      if (this.running >= this.timings.maxBatch) break;
      this.queue.delete(sequence);
      sequence.state = 'prefill';
      this.awaitingPrefill.add(sequence);
    }
    this.startPrefillPass();
  }

  private startPrefillPass(): void {
    if (this.prefillTimer !== undefined || this.awaitingPrefill.size === 0) return;
    let inputTokens = 0;
    for (const sequence of this.awaitingPrefill) {
      this.inPrefillPass.add(sequence);
      inputTokens += sequence.inputTokens;
    }
    this.awaitingPrefill.clear();
    const { prefillBaseMs, prefillMsPerToken, ttftScale } = this.timings;
    const durationMs =
      (prefillBaseMs + prefillMsPerToken * inputTokens) * ttftScale * this.jitterFactor();
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
      // An earlier callback may have cancelled this sequence.
      if (sequence.state === 'decode') sequence.callbacks.onPrefilled();
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
      sequence.callbacks.onToken(index, isLast);
    }
    this.admit();
    // Continue the timeline from the step's target, not from when the timer actually fired.
    if (this.stepTimer === undefined) this.scheduleStep(dueMs);
  }

  private stepDurationMs(): number {
    const { decodeStepMs, decodeStepMsPerSequence, itlScale } = this.timings;
    const extraSequences = Math.max(0, this.decoding.size - 1);
    return (
      (decodeStepMs + decodeStepMsPerSequence * extraSequences) * itlScale * this.jitterFactor()
    );
  }

  private jitterFactor(): number {
    return this.timings.jitter > 0 ? this.random.logNormal(1, this.timings.jitter) : 1;
  }
}
