import { normalCdf, normalQuantile } from './distributions.js';

/**
 * Group-sequential boundaries for a one-sided test looked at several times (Lan and DeMets'
 * α-spending with O'Brien–Fleming-type spending, Jennison and Turnbull ch. 7), so that peeking
 * after every block keeps the false-alarm rate at α overall.
 *
 * The gate's statistic at look k is L_k = ln(current/baseline) with variance v_k; the looks share
 * every sample before them and the run's drift, so Cov(L_j, L_k) = v_k for j < k. Then
 * S_k = L_k / v_k is a Brownian motion in information time I_k = 1 / v_k: the canonical form
 * the boundaries are computed for. A drift floor makes the information saturate (later looks add
 * little), and the boundaries follow: early looks then already spend much of α.
 */

/** O'Brien–Fleming-type spending: almost nothing early, most of α at the end. */
function spentAlpha(alpha: number, fraction: number): number {
  if (fraction <= 0) return 0;
  if (fraction >= 1) return alpha;
  return 2 * (1 - normalCdf(normalQuantile(1 - alpha / 2) / Math.sqrt(fraction)));
}

/** Points per unit of z on the integration grid (Simpson's rule). */
const GRID_PER_Z = 16;
/** Below this the continuation density is negligible. */
const GRID_FLOOR_Z = -8;

interface Density {
  /** Grid points on the S scale, evenly spaced. */
  points: Float64Array;
  /** Sub-density of S_k on the continuation region at those points. */
  values: Float64Array;
  step: number;
}

function simpsonWeights(count: number, step: number): Float64Array {
  const weights = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const edge = i === 0 || i === count - 1;
    weights[i] = (step / 3) * (edge ? 1 : i % 2 === 1 ? 4 : 2);
  }
  return weights;
}

/** An odd number of grid points from GRID_FLOOR_Z·√I to the boundary c·√I. */
function grid(information: number, boundaryZ: number): { points: Float64Array; step: number } {
  const root = Math.sqrt(information);
  const spanZ = boundaryZ - GRID_FLOOR_Z;
  const intervals = 2 * Math.max(8, Math.ceil((spanZ * GRID_PER_Z) / 2));
  const step = (spanZ * root) / intervals;
  const points = new Float64Array(intervals + 1);
  for (let i = 0; i <= intervals; i++) points[i] = GRID_FLOOR_Z * root + i * step;
  return { points, step };
}

/** P(continue through look k−1, then S_k ≥ c_k √I_k). */
function exitProbability(previous: Density, increment: number, threshold: number): number {
  const weights = simpsonWeights(previous.points.length, previous.step);
  const spread = Math.sqrt(increment);
  let total = 0;
  for (let i = 0; i < previous.points.length; i++) {
    total +=
      weights[i]! *
      previous.values[i]! *
      (1 - normalCdf((threshold - previous.points[i]!) / spread));
  }
  return total;
}

function nextDensity(previous: Density, increment: number, information: number, boundaryZ: number) {
  const { points, step } = grid(information, boundaryZ);
  const weights = simpsonWeights(previous.points.length, previous.step);
  const spread = Math.sqrt(increment);
  const values = new Float64Array(points.length);
  for (let j = 0; j < points.length; j++) {
    let sum = 0;
    for (let i = 0; i < previous.points.length; i++) {
      const z = (points[j]! - previous.points[i]!) / spread;
      sum += (weights[i]! * previous.values[i]! * Math.exp(-0.5 * z * z)) / spread;
    }
    values[j] = sum / Math.sqrt(2 * Math.PI);
  }
  return { points, values, step };
}

function firstDensity(information: number, boundaryZ: number): Density {
  const { points, step } = grid(information, boundaryZ);
  const values = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    const z = points[i]! / Math.sqrt(information);
    values[i] = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI * information);
  }
  return { points, values, step };
}

/** Two looks whose information differs by less than this share are one look. */
const SAME_LOOK = 1e-3;

/**
 * Upper boundaries on the z scale (Z_k = L_k / √v_k), one per look, for information levels that
 * grow with the looks (they may level off). The chance that Z_k crosses c_k at some look when
 * there is no change is α; with one look c_1 is the fixed test's z_{1−α}.
 */
export function upperBoundaries(informations: readonly number[], alpha: number): number[] {
  const total = informations[informations.length - 1] ?? 0;
  if (!(total > 0)) return informations.map(() => Infinity);
  // The boundaries depend on the information fractions alone; rounded, they repeat across runs
  // of one setup (and across a simulation's thousands of runs), so each set is computed once.
  const fractions = informations.map((information) => Math.round((100 * information) / total));
  const key = `${alpha}:${fractions.join(',')}`;
  const known = BOUNDARIES.get(key);
  if (known) return [...known];
  if (BOUNDARIES.size >= BOUNDARY_CACHE_SIZE) BOUNDARIES.clear();
  const computed = computeBoundaries(
    fractions.map((fraction) => Math.max(fraction, 1) / 100),
    alpha,
  );
  BOUNDARIES.set(key, computed);
  return [...computed];
}

const BOUNDARIES = new Map<string, number[]>();
const BOUNDARY_CACHE_SIZE = 1000;

function computeBoundaries(informations: readonly number[], alpha: number): number[] {
  const total = informations[informations.length - 1]!;
  const boundaries: number[] = [];
  let density: Density | undefined;
  let spent = 0;
  let previousInformation = 0;
  let lastBoundary = Infinity;
  for (const [index, information] of informations.entries()) {
    const last = index === informations.length - 1;
    const target = spentAlpha(alpha, last ? 1 : information / total);
    const increment = information - previousInformation;
    if (density && (increment <= SAME_LOOK * information || target - spent <= 1e-12)) {
      // No new information or no α left to spend here: the previous boundary stands.
      boundaries.push(last ? lastBoundary : Infinity);
      continue;
    }
    let boundaryZ: number;
    if (!density) {
      boundaryZ = normalQuantile(1 - target);
    } else {
      const previous: Density = density;
      const wanted = target - spent;
      const root = Math.sqrt(information);
      let low = 0;
      let high = 12;
      for (let step = 0; step < 50; step++) {
        const middle = (low + high) / 2;
        if (exitProbability(previous, increment, middle * root) > wanted) low = middle;
        else high = middle;
      }
      boundaryZ = high;
      spent += exitProbability(previous, increment, boundaryZ * root);
    }
    if (!density) spent = target;
    boundaries.push(boundaryZ);
    lastBoundary = boundaryZ;
    density = density
      ? nextDensity(density, increment, information, boundaryZ)
      : firstDensity(information, boundaryZ);
    previousInformation = information;
  }
  return boundaries;
}
