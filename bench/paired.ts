/**
 * npm run bench:paired [-- --runs 200] [--quick]
 *
 * Paired A/B against a live reference vs a stored baseline, under a slowdown both deployments
 * share and that wanders over time (the simulator's, src/simulator/slowdown.ts: a log random walk
 * of σ 5% per second, mean-reverting over 10 s). Each simulated request goes through the real
 * pipeline: RunRecorder, buildResults / interimResults (with the pairs' variances of
 * src/gate/paired.ts), measure until decided, evaluateGate; only the endpoint is simulated. It
 * prints, per cell, the false-alarm rate with no change and the share of runs that fail at +10%
 * and +20% TTFT, and writes the table to bench/results/paired.md (--quick: scratch/bench/).
 *
 * The simulated endpoint, per request i sent at time tᵢ: TTFT = 200 ms · promptᵢ · S(tᵢ) · εᵢ and
 * TPOT = 20 ms · S(tᵢ) · ηᵢ, 128 output tokens, closed loop at concurrency 8. promptᵢ (log-normal,
 * σ 0.5: prompts of very different lengths) is the request's, so both sides of a pair share it;
 * S is the shared slowdown; ε, η (log-normal, σ 0.1, the simulator's default jitter) are each side's own. A stored baseline
 * (3 trials, the default) was measured at another time, on another stretch of S.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchmarkOutcome, MeasuredSoFar } from '../src/benchmark.js';
import type { RequestRecord } from '../src/client/types.js';
import type { InputName } from '../src/config/inputs.js';
import { parseMeasureConfig } from '../src/config/parse.js';
import type { MeasureConfig } from '../src/domain/config.js';
import { baselineDetectability } from '../src/gate/detectable.js';
import { evaluateGate, GATE_DEFAULTS } from '../src/gate/evaluate.js';
import type { RequestPair } from '../src/gate/paired.js';
import { lookSchedule } from '../src/gate/sequential.js';
import { resolveThresholds } from '../src/gate/thresholds.js';
import type { Threshold, Verdict } from '../src/domain/judgement.js';
import { IDLE_SELF_CHECK } from '../src/load/self-check.js';
import { metricInfo, trialFiguresOf } from '../src/metrics/catalogue.js';
import { RunRecorder } from '../src/metrics/recorder.js';
import { createRandom, type Random } from '../src/random.js';
import { buildResults, interimResults } from '../src/results/build.js';
import type { RunResults } from '../src/domain/results.js';
import { createSlowdown } from '../src/simulator/slowdown.js';
import type { Mix } from '../src/workload/types.js';

const ENDPOINT = {
  ttftMs: 200,
  tpotMs: 20,
  outputTokens: 128,
  concurrency: 8,
  promptSigma: 0.5,
  sideSigma: 0.1,
} as const;
const SLOWDOWN = { sigma: 0.05, reversionSeconds: 10 } as const;
const MIX = { name: 'simulated', fingerprint: 'simulated' } as Mix;
const BUDGETS = [1000];
const THRESHOLDS = [0.1, 0.05];
const CHANGES = [1, 1.1, 1.2];

interface Cell {
  design: 'paired' | 'stored';
  budget: number;
  threshold: number;
}

interface Tally {
  runs: number;
  refused: number;
  /** Per TTFT factor: runs failed (regression), inconclusive, and requests per side used. */
  outcomes: Map<number, { failed: number; inconclusive: number; requests: number[] }>;
  detectable: number[];
}

function configOf(cell: Cell, mode: 'gate' | 'update-baseline'): MeasureConfig {
  const inputs: Partial<Record<InputName, string>> = {
    endpoint: 'http://simulated/v1',
    model: 'simulated-model',
    hardware: 'simulated',
    'prompt-mix': 'simulated',
    concurrency: String(ENDPOINT.concurrency),
    requests: String(cell.budget),
    'warmup-requests': '0',
    mode,
    thresholds: `ttft.p95: +${cell.threshold * 100}%`,
    ...(cell.design === 'paired' && mode === 'gate'
      ? { 'reference-endpoint': 'http://simulated-reference/v1' }
      : {}),
  };
  return parseMeasureConfig((name) => inputs[name]);
}

/** The gated metric alone: the claim is about TTFT p95 (errors and tokens/s are not simulated). */
function thresholdsOf(cell: Cell): Threshold[] {
  return resolveThresholds(`ttft.p95: +${cell.threshold * 100}%`).filter(
    (threshold) => threshold.metric === 'ttft.p95',
  );
}

/** One request of one side, sent `atSeconds` into the shared slowdown's path. */
function request(
  index: number,
  prompt: number,
  slowdown: number,
  ttftFactor: number,
  random: Random,
): RequestRecord {
  const ttftMs =
    ENDPOINT.ttftMs * prompt * slowdown * ttftFactor * random.logNormal(1, ENDPOINT.sideSigma);
  const tpotMs = ENDPOINT.tpotMs * slowdown * random.logNormal(1, ENDPOINT.sideSigma);
  const e2eMs = ttftMs + (ENDPOINT.outputTokens - 1) * tpotMs;
  return {
    index,
    className: 'simulated',
    ok: true,
    startMs: 0,
    scheduleDelayMs: 0,
    ttfbMs: ttftMs,
    ttftMs,
    ttfoMs: ttftMs,
    e2eMs,
    itlMs: [],
    outputTokens: ENDPOINT.outputTokens,
    outputTokensEstimated: false,
    tokenCounting: 'usage',
    textEvents: ENDPOINT.outputTokens,
    maxTokens: ENDPOINT.outputTokens,
  };
}

/** Requests of a closed loop at concurrency 8 start this far apart on average. */
const SECONDS_PER_REQUEST =
  (ENDPOINT.ttftMs + (ENDPOINT.outputTokens - 1) * ENDPOINT.tpotMs) / 1000 / ENDPOINT.concurrency;

function recorderFor(config: MeasureConfig): RunRecorder {
  return new RunRecorder({
    slo: config.slo,
    fixedLengthRequested: false,
    busyWindowConcurrency: config.concurrency,
  });
}

function outcomeOf(
  recorder: RunRecorder,
  trials: RunRecorder[],
  extra: Partial<BenchmarkOutcome> = {},
): BenchmarkOutcome {
  const recorded = recorder.finish();
  return {
    ...recorded,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:10:00.000Z',
    partial: false,
    warmup: { requests: 0, failed: 0 },
    trials: trials.map((trial) => trialFiguresOf(trial.finish().summary)),
    selfCheck: IDLE_SELF_CHECK,
    endpoint: {},
    health: { status: 'healthy' },
    ...extra,
  };
}

const verdictCounts = (verdict: Verdict) => ({
  failed: verdict === 'regression' ? 1 : 0,
  inconclusive: verdict === 'inconclusive' ? 1 : 0,
});

/** A paired gate run: candidate and reference on the same requests at the same moments. */
function pairedRun(cell: Cell, ttftFactor: number, random: Random, startEpochMs: number) {
  const config = configOf(cell, 'gate');
  const thresholds = thresholdsOf(cell);
  const metrics = thresholds.flatMap((threshold) => metricInfo(threshold.metric) ?? []);
  const slowdown = createSlowdown({ ...SLOWDOWN, seed: random.int(2 ** 31), startEpochMs });
  const looks = lookSchedule(cell.budget);
  const candidate = recorderFor(config);
  const reference = recorderFor(config);
  const pairs: RequestPair[] = [];
  const sides = { candidate: random.fork('candidate'), reference: random.fork('reference') };
  for (let index = 0; index < cell.budget; index++) {
    const prompt = random.logNormal(1, ENDPOINT.promptSigma);
    const factor = slowdown(startEpochMs + index * SECONDS_PER_REQUEST * 1000);
    const pair = {
      candidate: request(index, prompt, factor, ttftFactor, sides.candidate),
      reference: request(index, prompt, factor, 1, sides.reference),
    };
    candidate.record(pair.candidate);
    reference.record(pair.reference);
    pairs.push(pair);
    const look = looks.indexOf(index + 1);
    if (look < 0 || look === looks.length - 1) continue;
    const soFar: MeasuredSoFar = {
      run: candidate.finish(),
      paired: { reference: reference.finish(), pairs },
    };
    const current = interimResults(config, MIX, soFar, looks, metrics);
    const gate = evaluateGate({ current, thresholds, look });
    if (gate.decided) return { verdict: gate.verdict, requests: index + 1, gate };
  }
  const final = buildResults(
    config,
    MIX,
    outcomeOf(candidate, [candidate], {
      sequential: { looks },
      reference: {
        ...reference.finish(),
        warmup: { requests: 0, failed: 0 },
        trials: [],
        endpoint: {},
        health: { status: 'healthy' },
        pairs,
      },
    }),
    {},
    metrics,
  );
  const gate = evaluateGate({ current: final, thresholds });
  return { verdict: gate.verdict, requests: cell.budget, gate };
}

/** A stored baseline: baseline-trials 3 of the budget, measured on its own stretch of S. */
function storedBaseline(cell: Cell, random: Random, startEpochMs: number): RunResults {
  const config = configOf(cell, 'update-baseline');
  const slowdown = createSlowdown({ ...SLOWDOWN, seed: random.int(2 ** 31), startEpochMs });
  const pooled = recorderFor(config);
  const trials = Array.from({ length: config.trials }, () => recorderFor(config));
  for (const [trial, recorder] of trials.entries()) {
    for (let index = 0; index < cell.budget; index++) {
      const at = startEpochMs + (trial * cell.budget + index) * SECONDS_PER_REQUEST * 1000;
      const record = request(
        index,
        random.logNormal(1, ENDPOINT.promptSigma),
        slowdown(at),
        1,
        random,
      );
      pooled.record(record);
      recorder.record(record);
    }
  }
  return buildResults(config, MIX, outcomeOf(pooled, trials), {});
}

function storedRun(
  cell: Cell,
  baseline: RunResults,
  ttftFactor: number,
  random: Random,
  startEpochMs: number,
) {
  const config = configOf(cell, 'gate');
  const thresholds = thresholdsOf(cell);
  const slowdown = createSlowdown({ ...SLOWDOWN, seed: random.int(2 ** 31), startEpochMs });
  const looks = lookSchedule(cell.budget);
  const current = recorderFor(config);
  for (let index = 0; index < cell.budget; index++) {
    const at = startEpochMs + index * SECONDS_PER_REQUEST * 1000;
    current.record(
      request(index, random.logNormal(1, ENDPOINT.promptSigma), slowdown(at), ttftFactor, random),
    );
    const look = looks.indexOf(index + 1);
    const last = look === looks.length - 1;
    if (look < 0) continue;
    const results = last
      ? buildResults(config, MIX, outcomeOf(current, [current], { sequential: { looks } }), {})
      : interimResults(config, MIX, { run: current.finish() }, looks, []);
    const gate = evaluateGate({
      baseline,
      current: results,
      thresholds,
      ...(last ? {} : { look }),
      driftSigma: GATE_DEFAULTS.driftSigma,
    });
    if (last || gate.decided) return { verdict: gate.verdict, requests: index + 1, gate };
  }
  throw new Error('unreachable: the last look always decides');
}

function runCell(cell: Cell, runs: number, seed: number): Tally {
  const tally: Tally = { runs, refused: 0, outcomes: new Map(), detectable: [] };
  for (const change of CHANGES)
    tally.outcomes.set(change, { failed: 0, inconclusive: 0, requests: [] });
  const random = createRandom(seed);
  for (let run = 0; run < runs; run++) {
    const runRandom = random.fork(run);
    // Runs start far apart: the slowdown they meet is unrelated from run to run.
    const startEpochMs = Date.UTC(2026, 0, 1) + run * 86_400_000;
    let baseline: RunResults | undefined;
    if (cell.design === 'stored') {
      baseline = storedBaseline(cell, runRandom.fork('baseline'), startEpochMs - 3_600_000);
      const [design] = baselineDetectability(baseline, thresholdsOf(cell), {
        alpha: GATE_DEFAULTS.alpha,
        driftSigma: GATE_DEFAULTS.driftSigma,
      });
      if (design?.detectable) tally.detectable.push(design.detectable.change);
      // update-baseline refuses a baseline that cannot see twice its threshold.
      if (!design?.detectable || design.detectable.blind) {
        tally.refused++;
        continue;
      }
    }
    for (const change of CHANGES) {
      const changeRandom = runRandom.fork(`change-${change}`);
      const outcome = baseline
        ? storedRun(cell, baseline, change, changeRandom, startEpochMs)
        : pairedRun(cell, change, changeRandom, startEpochMs);
      const counts = tally.outcomes.get(change)!;
      const { failed, inconclusive } = verdictCounts(outcome.verdict);
      counts.failed += failed;
      counts.inconclusive += inconclusive;
      counts.requests.push(outcome.requests);
      if (cell.design === 'paired' && change === 1) {
        const detectable = outcome.gate.checks.find((check) => check.metric === 'ttft.p95')
          ?.detectable?.change;
        if (detectable !== undefined) tally.detectable.push(detectable);
      }
    }
  }
  return tally;
}

const median = (values: readonly number[]) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const percent = (count: number, of: number) =>
  of > 0 ? `${((100 * count) / of).toFixed(1)}%` : '—';

function main(): void {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 100;
  const quick = args.includes('--quick');
  const rows: string[] = [];
  let cellSeed = 1;
  for (const budget of BUDGETS) {
    for (const threshold of THRESHOLDS) {
      for (const design of ['stored', 'paired'] as const) {
        const cell: Cell = { design, budget, threshold };
        const started = performance.now();
        const tally = runCell(cell, runs, cellSeed++);
        const judged = tally.runs - tally.refused;
        const column = (change: number) => {
          const counts = tally.outcomes.get(change)!;
          const inconclusive =
            counts.inconclusive > 0
              ? ` (+${percent(counts.inconclusive, judged)} inconclusive)`
              : '';
          return `${percent(counts.failed, judged)}${inconclusive}`;
        };
        const row = [
          design === 'paired' ? 'paired (reference-endpoint)' : 'stored baseline (3 trials)',
          String(budget),
          `+${threshold * 100}%`,
          percent(tally.refused, tally.runs),
          column(1),
          column(1.1),
          column(1.2),
          String(median(tally.outcomes.get(1)!.requests)),
          String(median(tally.outcomes.get(1.1)!.requests)),
          Number.isFinite(median(tally.detectable))
            ? `+${(100 * median(tally.detectable)).toFixed(1)}%`
            : '—',
        ];
        rows.push(`| ${row.join(' | ')} |`);
        console.log(`${row.join(' · ')}  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
  }
  const table = [
    `# Paired A/B vs stored baseline under a shared wandering slowdown`,
    '',
    `Produced by \`npm run bench:paired -- --runs ${runs}\` (bench/paired.ts); ${runs} runs per cell,`,
    'each change its own run. Gated: TTFT p95 alone, at the threshold shown; measure until decided',
    '(the default). Slowdown shared by both deployments: log random walk, σ 5%/s, mean-reverting over',
    '10 s. Per request: TTFT 200 ms × prompt (log-normal σ 0.5, shared by a pair) × slowdown × own',
    'noise (σ 0.1); TPOT 20 ms × slowdown × own noise; 128 tokens; concurrency 8. A stored baseline',
    'is 3 trials of the budget measured an hour earlier; "refused" are baselines update-baseline',
    'would not write (they cannot see twice the threshold); rates are over the runs judged.',
    '',
    '| Design | Requests/side (budget) | Threshold | Baselines refused | Fail, no change | Fail at +10% TTFT | Fail at +20% TTFT | Median requests, no change | Median requests, +10% | Median detectable |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  const path = quick ? 'scratch/bench/paired.md' : 'bench/results/paired.md';
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, table);
  console.log(`\n${table}\nwritten: ${path}`);
}

main();
