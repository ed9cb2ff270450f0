/**
 * npm run bench:gate [-- --pairs 1000] [--quick] [--workers N] [--drift-floor 0.03] [--alpha 0.01]
 *
 * Runs the gate on simulated A/A and regressed pairs over the brief's noise grid and prints the
 * false-alarm rate and power of each cell, with the default thresholds. Writes the table to
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
}

interface Options {
  pairs: number;
  workers: number;
  alpha: number;
  driftFloor: number;
}

const REQUESTS = [200, 500, 1000];
const WITHIN_SIGMAS = [0.25, 0.5];
const DRIFT_SIGMAS = [0, 0.03, 0.05];
/**
 * Baseline/current trials. 3/1 is the product's default (baseline-trials 3, trials 1); a
 * multi-trial baseline cannot beat drift alone, since the current run carries a whole run's.
 */
const TRIALS: Array<[number, number]> = [
  [1, 1],
  [3, 1],
  [3, 3],
  [5, 5],
];
/** Where the table goes: a quick run is a look, not evidence. */
function outputPath(args: readonly string[]): string {
  return args.includes('--quick') ? 'scratch/bench/gate.md' : 'bench/results/gate.md';
}

function grid(): Cell[] {
  const cells: Cell[] = [];
  for (const requests of REQUESTS) {
    for (const withinSigma of WITHIN_SIGMAS) {
      for (const driftSigma of DRIFT_SIGMAS) {
        for (const [baselineTrials, currentTrials] of TRIALS) {
          cells.push({ requests, withinSigma, driftSigma, baselineTrials, currentTrials });
        }
      }
    }
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
    pairs: options.pairs,
    seed: 1000 + index,
    alpha: options.alpha,
    driftSigma: options.driftFloor,
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
    pairs: value('--pairs') ?? (args.includes('--quick') ? 200 : 1000),
    workers: value('--workers') ?? availableParallelism(),
    alpha: value('--alpha') ?? GATE_DEFAULTS.alpha,
    driftFloor: value('--drift-floor') ?? GATE_DEFAULTS.driftSigma,
  };
}

const percent = (count: number, pairs: number): string => `${((100 * count) / pairs).toFixed(1)}%`;

function meetsBar(rates: GateRates): boolean {
  const { pairs, detections } = rates;
  const power = Math.min(detections.ttft, detections.tokensPerSecond, detections.errorRate);
  return rates.falseAlarms <= 0.01 * pairs && power >= 0.95 * pairs;
}

/** The A/A and regression rates of the single-run cells without drift, one line per size. */
function headline(cells: Cell[], results: GateRates[]): string[] {
  return cells.flatMap((cell, index) => {
    if (cell.withinSigma !== 0.25 || cell.driftSigma !== 0 || cell.baselineTrials !== 1) return [];
    const { pairs, falseAlarms, detections } = results[index]!;
    return [
      `${cell.requests} requests, σ 0.25, no drift, single runs: A/A false alarms ` +
        `${falseAlarms}/${pairs}; caught TTFT p95 +20% ${detections.ttft}/${pairs}, ` +
        `tokens/s −20% ${detections.tokensPerSecond}/${pairs}, errors +2 pp ${detections.errorRate}/${pairs}`,
    ];
  });
}

function table(cells: Cell[], results: GateRates[]): string {
  const lines = [
    '| requests | σ within | σ drift | trials base/cur | A/A fail (any) | A/A TTFT | A/A tok/s | A/A err | catch TTFT +20% | catch tok/s −20% | catch err +2pp | ≤1% and ≥95% |',
    '|---:|---:|---:|:---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
  ];
  cells.forEach((cell, index) => {
    const rates = results[index]!;
    const n = rates.pairs;
    lines.push(
      `| ${cell.requests} | ${cell.withinSigma} | ${cell.driftSigma} | ` +
        `${cell.baselineTrials}/${cell.currentTrials} | ${percent(rates.falseAlarms, n)} | ` +
        `${percent(rates.falseAlarmsByMetric.ttft, n)} | ` +
        `${percent(rates.falseAlarmsByMetric.tokensPerSecond, n)} | ` +
        `${percent(rates.falseAlarmsByMetric.errorRate, n)} | ${percent(rates.detections.ttft, n)} | ` +
        `${percent(rates.detections.tokensPerSecond, n)} | ${percent(rates.detections.errorRate, n)} | ` +
        `${meetsBar(rates) ? 'yes' : 'no'} |`,
    );
  });
  return lines.join('\n');
}

/** Runs cells on worker processes, heaviest first, each worker taking the next cell when free. */
async function runCells(cells: Cell[], options: Options): Promise<GateRates[]> {
  const cost = (cell: Cell): number =>
    cell.requests * (cell.baselineTrials + 3 * cell.currentTrials);
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
  const body = table(cells, results);
  const lines = headline(cells, results);
  console.log(`\n${body}\n\n${lines.join('\n')}\n\n${seconds} s`);
  const report = [
    '# Gate calibration',
    '',
    `\`${command}\` — ${options.pairs} pairs per cell, α ${options.alpha} (family-wise), ` +
      `drift floor σ ${options.driftFloor}, ${seconds} s on ${options.workers} workers.`,
    '',
    'Simulated closed-loop runs (bench/gate-sim/simulate.ts): TTFT log-normal, median 200 ms; TPOT ' +
      'log-normal, median 20 ms; 128 output tokens; concurrency 8; baseline error rate 0. ' +
      '"σ within" is the log-normal σ of TTFT and TPOT across requests, "σ drift" the σ of the ' +
      'per-run factors (prefill and decode, independent). Requests are per trial. A/A columns: ' +
      'share of identical pairs the gate failed (any metric, then each). Catch columns: share of ' +
      'regressed pairs (twice each default threshold) flagged as regression on that metric.',
    '',
    ...lines.map((line) => `- ${line}`),
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
