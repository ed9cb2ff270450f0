import { createRandom } from '../random.js';

export interface SlowdownOptions {
  /** Log-scale volatility in log units per √second (0.05 ≈ "5% per second"); 0 = off. */
  sigma: number;
  /** Mean-reversion time τ in seconds (> 0). */
  reversionSeconds: number;
  seed: number;
  /** Epoch ms at which the path starts (grid point 0). */
  startEpochMs: number;
}

/** Grid spacing of the sampled path. */
export const SLOWDOWN_STEP_MS = 100;
/** Grid points generated from one forked RNG stream; one end value per block is kept. */
const BLOCK_STEPS = 1000;
/** Full blocks kept in memory; the engine only ever asks about the present. */
const CACHED_BLOCKS = 4;

/**
 * A time-varying slowdown of the whole simulated cluster, as a neighbour's load or thermal
 * throttling would cause: exp(x(t)) with x an Ornstein–Uhlenbeck process on the log scale,
 * dx = −x/τ dt + σ dW, stationary N(0, σ²τ/2). The path is a pure function of the options and
 * the wall-clock epoch time, so two simulators (a candidate and a reference deployment) started
 * with the same seed and start time see the same busy periods when measured in the same window,
 * and a paired comparison can cancel them out.
 *
 * Sampled on a fixed 100 ms grid from `startEpochMs` with the exact OU discretisation, linear
 * in between, x_0 before the start. Each block of grid points draws its normals from its own
 * fork of `createRandom(seed)`, so the path does not depend on the order of queries; blocks are
 * generated lazily forward, and only block end values plus a few recent blocks are kept.
 */
export function createSlowdown(options: SlowdownOptions): (epochMs: number) => number {
  const { sigma, reversionSeconds: tau, seed, startEpochMs } = options;
  if (sigma === 0) return () => 1;
  const decay = Math.exp(-SLOWDOWN_STEP_MS / 1000 / tau);
  const innovation = sigma * Math.sqrt((tau / 2) * (1 - decay * decay));
  const stationary = sigma * Math.sqrt(tau / 2);

  /** x at the last grid point of each block generated so far. */
  const blockEnds: number[] = [];
  const blocks = new Map<number, Float64Array>();

  const generate = (block: number): Float64Array => {
    const random = createRandom(seed).fork(`slowdown/${block}`);
    const values = new Float64Array(BLOCK_STEPS);
    let x = block === 0 ? stationary * random.normal() : blockEnds[block - 1]!;
    for (let i = 0; i < BLOCK_STEPS; i++) {
      if (block > 0 || i > 0) x = x * decay + innovation * random.normal();
      values[i] = x;
    }
    return values;
  };

  const blockValues = (block: number): Float64Array => {
    const cached = blocks.get(block);
    if (cached) {
      // Refresh its place in the least-recently-used order.
      blocks.delete(block);
      blocks.set(block, cached);
      return cached;
    }
    // Generating block b needs the end of block b − 1: walk forward from the last one known.
    let values: Float64Array | undefined;
    for (let b = Math.min(blockEnds.length, block); b <= block; b++) {
      values = generate(b);
      blockEnds[b] ??= values[BLOCK_STEPS - 1]!;
    }
    blocks.set(block, values!);
    if (blocks.size > CACHED_BLOCKS) blocks.delete(blocks.keys().next().value!);
    return values!;
  };

  const logAt = (index: number): number =>
    blockValues(Math.floor(index / BLOCK_STEPS))[index % BLOCK_STEPS]!;

  return (epochMs) => {
    const position = (epochMs - startEpochMs) / SLOWDOWN_STEP_MS;
    if (!(position > 0)) return Math.exp(logAt(0));
    const index = Math.floor(position);
    const fraction = position - index;
    const x = logAt(index);
    return Math.exp(fraction === 0 ? x : x + (logAt(index + 1) - x) * fraction);
  };
}
