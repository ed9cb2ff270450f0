/**
 * npm run bench:gate [-- --pairs 500] [--quick] [--workers N] [--drift-floor 0.03] [--alpha 0.01]
 *
 * Runs the gate on simulated A/A and regressed pairs over the brief's noise grid and prints the
 * false-alarm rate, power and requests to a verdict of each cell, with the default thresholds,
 * for the fixed design and for measuring until decided. Writes the table to
 * bench/results/gate.md, or with --quick to scratch/bench/gate.md (git-ignored), so a quick look
 * never replaces the committed evidence. Cells are spread over worker processes; every cell has its own seed,
 * so the counts do not depend on the number of workers.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureGate, type GateRates } from './gate-sim/calibration.js';
import { GATE_DEFAULTS } from '../src/gate/evaluate.js';

interface Cell {
  requests: number;
  withinSigma: number;
  driftSigma: number;
  baselineTrials: number;
  currentTrials: number;
  sequential: boolean;
  /** The gate's drift-floor setting; the default when absent. */
  driftFloor?: number;
}

interface Options {
  pairs: number;
  workers: number;
  alpha: number;
  driftFloor: number;
}

/** Budgets (requests per trial): the brief's grid and the default, 2000. */
const REQUESTS = [500, 1000, 2000];
const WITHIN_SIGMAS = [0.25, 0.5];
const DRIFT_SIGMAS = [0, 0.03, 0.05];
/** The product's defaults: baseline-trials 3, trials 1. */
const TRIALS: [number, number] = [3, 1];

/** Where the table goes: a quick run is a look, not evidence. */
function outputPath(args: readonly string[]): string {
  return args.includes('--quick') ? 'scratch/bench/gate.md' : 'bench/results/gate.md';
}

function grid(): Cell[] {
  const cells: Cell[] = [];
  for (const requests of REQUESTS) {
    for (const withinSigma of WITHIN_SIGMAS) {
      for (const driftSigma of DRIFT_SIGMAS) {
        for (const sequential of [false, true]) {
          const [baselineTrials, currentTrials] = TRIALS;
          cells.push({
            requests,
            withinSigma,
            driftSigma,
            baselineTrials,
            currentTrials,
            sequential,
          });
        }
      }
    }
  }
  // Settings beyond the defaults that reach the bar where the defaults cannot: heavy noise needs
  // more requests and baseline trials; drift above the floor needs the floor raised to it.
  const beyondDefaults: Array<Omit<Cell, 'sequential'>> = [
    { requests: 4000, withinSigma: 0.5, driftSigma: 0.03, baselineTrials: 5, currentTrials: 1 },
    {
      requests: 2000,
      withinSigma: 0.25,
      driftSigma: 0.05,
      baselineTrials: 3,
      currentTrials: 1,
      driftFloor: 0.05,
    },
  ];
  // Both designs of a setup side by side: they share a seed (see measure).
  for (const setup of beyondDefaults) {
    for (const sequential of [false, true]) cells.push({ ...setup, sequential });
  }
  return cells;
}

function measure(cell: Cell, index: number, options: Options): GateRates {
  return measureGate({
    model: {
      requests: cell.requests,
      trials: cell.baselineTrials,
      withinSigma: cell.withinSigma,
      driftSigma: cell.driftSigma,
      errorRate: 0,
    },
    currentTrials: cell.currentTrials,
    sequential: cell.sequential,
    pairs: options.pairs,
    // Both designs of a cell see the same baselines and runs: the difference is the design's.
    seed: 1000 + Math.floor(index / 2),
    alpha: options.alpha,
    driftSigma: cell.driftFloor ?? options.driftFloor,
  });
}

function parseOptions(args: string[]): Options {
  const value = (name: string): number | undefined => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const parsed = Number(args[at + 1]);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} needs a positive number`);
    return parsed;
  };
  return {
    pairs: value('--pairs') ?? (args.includes('--quick') ? 100 : 500),
    workers: value('--workers') ?? availableParallelism(),
    alpha: value('--alpha') ?? GATE_DEFAULTS.alpha,
    driftFloor: value('--drift-floor') ?? GATE_DEFAULTS.driftSigma,
  };
}

const percent = (count: number, total: number): string =>
  `${((100 * count) / Math.max(1, total)).toFixed(1)}%`;

/** The brief's bar: identical runs fail ≤ 1 in 100, twice each threshold caught ≥ 95 in 100. */
function meetsBar(rates: GateRates): boolean {
  const { accepted: pairs, detections } = rates;
  if (pairs < rates.pairs) return false;
  const power = Math.min(detections.ttft20, detections.tokensPerSecond20, detections.errors2pp);
  return rates.falseAlarms + rates.inconclusive <= 0.01 * pairs && power >= 0.95 * pairs;
}

function table(cells: Cell[], results: GateRates[], options: Options): string {
  const lines = [
    '| budget | σ within | σ drift | baseline trials | drift floor | design | refused baselines | A/A fail | A/A regression | A/A inconclusive | catch TTFT +10% | +20% | +30% | tok/s −20% | err +2pp | median requests A/A | TTFT +20% | TTFT +30% | ≤1% and ≥95% |',
    '|---:|---:|---:|---:|---:|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
  ];
  cells.forEach((cell, index) => {
    const rates = results[index]!;
    const n = rates.accepted;
    const { detections: caught, medianRequests: median } = rates;
    const setup =
      `| ${cell.requests} | ${cell.withinSigma} | ${cell.driftSigma} | ${cell.baselineTrials} | ` +
      `${cell.driftFloor ?? options.driftFloor} | ${cell.sequential ? 'until decided' : 'fixed'} | `;
    if (n < rates.pairs) {
      // update-baseline refused (nearly) every recording: there is nothing to gate with.
      const refused = percent(rates.refusedBaselines, rates.refusedBaselines + n);
      lines.push(`${setup}${refused} (gave up) |${' — |'.repeat(11)} no |`);
      return;
    }
    lines.push(
      setup +
        `${percent(rates.refusedBaselines, rates.refusedBaselines + n)} | ` +
        `${percent(rates.falseAlarms + rates.inconclusive, n)} | ${percent(rates.falseAlarms, n)} | ` +
        `${percent(rates.inconclusive, n)} | ${percent(caught.ttft10, n)} | ` +
        `${percent(caught.ttft20, n)} | ${percent(caught.ttft30, n)} | ` +
        `${percent(caught.tokensPerSecond20, n)} | ${percent(caught.errors2pp, n)} | ` +
        `${median.same} | ${median.ttft20} | ${median.ttft30} | ${meetsBar(rates) ? 'yes' : 'no'} |`,
    );
  });
  return lines.join('\n');
}

/** Runs cells on worker processes, heaviest first, each worker taking the next cell when free. */
async function runCells(cells: Cell[], options: Options): Promise<GateRates[]> {
  const cost = (cell: Cell): number =>
    cell.requests * (cell.baselineTrials + 6 * cell.currentTrials);
  const queue = cells.map((_, index) => index).sort((a, b) => cost(cells[b]!) - cost(cells[a]!));
  const results: GateRates[] = [];
  const worker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ['--worker', JSON.stringify(options)]);
      const next = (): void => {
        const index = queue.shift();
        if (index === undefined) child.disconnect();
        else child.send(index);
      };
      child.on('message', (message) => {
        const [index, rates] = message as [number, GateRates];
        results[index] = rates;
        next();
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`bench worker exited with code ${code}`)),
      );
      next();
    });
  const workers = Math.max(1, Math.min(options.workers, cells.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const cells = grid();
  if (args[0] === '--worker') {
    const options = JSON.parse(args[1]!) as Options;
    process.on('message', (index: number) => {
      process.send!([index, measure(cells[index]!, index, options)]);
    });
    return;
  }
  const options = parseOptions(args);
  const started = performance.now();
  console.log(
    `gate calibration: ${cells.length} cells × ${options.pairs} pairs, α ${options.alpha}, ` +
      `drift floor ${options.driftFloor}, ${options.workers} workers`,
  );
  const results = await runCells(cells, options);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const command = `npx tsx bench/gate.ts ${args.join(' ')}`.trim();
  const body = table(cells, results, options);
  console.log(`\n${body}\n\n${seconds} s`);
  const report = [
    '# Gate calibration',
    '',
    `\`${command}\` — ${options.pairs} accepted baselines per cell, α ${options.alpha} ` +
      `(family-wise), drift floor σ ${options.driftFloor}, ${seconds} s on ${options.workers} workers.`,
    '',
    'Simulated closed-loop runs (bench/gate-sim/simulate.ts): TTFT log-normal, median 200 ms; TPOT ' +
      'log-normal, median 20 ms; 128 output tokens; concurrency 8; baseline error rate 0. ' +
      '"σ within" is the log-normal σ of TTFT and TPOT across requests, "σ drift" the σ of the ' +
      'per-run factors (prefill and decode, independent, one draw per trial). Every cell uses the ' +
      "defaults' trials (baselines of 3 trials, current runs of 1, each of `budget` requests) but " +
      'the last four rows, which show settings that reach the bar where the defaults cannot. ' +
      '"Refused baselines": share of baseline recordings update-baseline refused as too noisy ' +
      '(their design could not see twice a threshold; "gave up": ten refusals per wanted baseline, ' +
      'so nothing to gate with); only accepted ones are compared with, as ' +
      'in the product. "fixed" sends the whole budget, "until decided" looks after every fifth of ' +
      'it and stops once every gated metric is decided (src/gate/sequential.ts); both see the same ' +
      'baselines and runs. A/A fail: identical runs whose verdict failed the build (regression or ' +
      'inconclusive). Catch: runs with that change alone flagged as a regression on that metric ' +
      '(+20% TTFT, −20% tok/s and +2 pp errors are twice the default thresholds). Median ' +
      'requests: measured requests of the current run until its verdict.',
    '',
    body,
    '',
  ].join('\n');
  const output = outputPath(args);
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, report);
  console.log(`wrote ${output}`);
}

await main();
