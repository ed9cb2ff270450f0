import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import type { Cause } from '../../src/domain/judgement.js';
import { GATE_DEFAULTS, judgeRun, resolveThresholds } from '../../src/gate/index.js';
import { renderReport, type ReportInput } from '../../src/report/markdown.js';
import { judged } from '../../src/report/types.js';
import type { RunResults } from '../../src/domain/results.js';
import { run } from '../../src/run.js';
import type { SimulatorOptions, SimulatorStats } from '../../src/simulator/index.js';
import { startSimulatorHost, type SimulatorHost } from '../helpers/simulator-process.js';

/**
 * Runs against the simulator (which serves vLLM's /metrics): for each of five changes that move
 * one part of the request's way, the changed run is compared with a baseline run; the diagnosis
 * must name that part. Every change is several times the 20% the gate must see.
 */
const MIX = resolve('test/fixtures/mixes/fast.yaml');
const BASE: SimulatorOptions = {
  seed: 7,
  maxBatch: 16,
  // Steps long next to what a busy machine adds to the client's figures.
  decodeStepMs: 5,
  prefillBaseMs: 30,
  jitter: 0.05,
  outputTokens: 'random',
};
// p50s: 40 requests are too few for a p95 to be judged, and the diagnosis follows judged checks.
const THRESHOLDS = 'ttft.p50: +20%\ne2e.p50: +20%\ntpot.p50: +20%';

const REQUESTS = 40;
const workspace = mkdtempSync(join(tmpdir(), 'llm-perf-gate-server-'));
/** The simulators' process (as a real server would be: not the client's event loop). */
let host: SimulatorHost;

/**
 * One run in report mode against a fresh simulator in the simulators' process. Report mode,
 * because on a busy machine the client's self-check may call a run saturated, and
 * update-baseline refuses such a run; the gate is then applied here exactly as run() does.
 */
async function measure(
  options: SimulatorOptions,
  requests = REQUESTS,
): Promise<{ results: RunResults; stats: SimulatorStats }> {
  const simulator = await host.start(options);
  try {
    const inputs: Record<string, string> = {
      endpoint: simulator.url,
      model: 'sim-llama-8b',
      'prompt-mix': MIX,
      requests: String(requests),
      // Warm-up lets the simulator's process compile its hot paths before the measured phase.
      'warmup-requests': '8',
      concurrency: '8',
      mode: 'report',
      'results-path': join(workspace, `results-${Math.random()}.json`),
      'metrics-url': `${new URL(simulator.url).origin}/metrics`,
      'metrics-interval': '100ms',
      thresholds: THRESHOLDS,
      'fail-on-regression': 'false',
    };
    const config = parseConfig((name) => inputs[name]);
    const outcome = await run(config, {
      cwd: workspace,
      env: {},
      event: {},
      log: () => {},
      warn: () => {},
    });
    return { results: outcome.results, stats: await simulator.stats() };
  } finally {
    await simulator.close();
  }
}

/** The report `run` renders: the judge's verdict, findings and diagnosis. */
function gateReport(baseline: RunResults, current: RunResults): ReportInput {
  const judgement = judgeRun({
    mode: 'gate',
    current,
    baseline,
    thresholds: resolveThresholds(THRESHOLDS),
    policy: {
      failOnRegression: true,
      failOnMissingBaseline: false,
      onLowSensitivity: 'pass',
      baselineMaxErrorRate: 0.05,
      driftFloor: GATE_DEFAULTS.driftSigma,
    },
  });
  return { mode: 'gate', current, baseline, ...judged(judgement) };
}

const diagnosisOf = (report: ReportInput) => report.diagnoses?.[0];

// Each change is several times what it must be seen at, and each is compared with a baseline
// measured just before it: the two see the same machine, however its load swings over the file.
describe('server metrics and the diagnosis against the simulator', () => {
  let baseline: Awaited<ReturnType<typeof measure>>;

  beforeAll(async () => {
    host = await startSimulatorHost();
    // The first run in a fresh test process is slower (its code still compiling): a short
    // throwaway.
    await measure(BASE, 16);
    baseline = await measure(BASE);
  }, 60_000);
  afterAll(async () => {
    await host.close();
  });

  it('reads the server view: every measured request in the histograms, tokens that agree', () => {
    const server = baseline.results.server!;
    expect(server.server).toBe('vllm');
    expect(server.failedScrapes).toBe(0);
    expect(server.latency.ttft?.count).toBe(REQUESTS);
    expect(server.latency.e2e?.count).toBe(REQUESTS);
    expect(server.generationTokens).toBe(baseline.results.summary.outputTokens);
    expect(server.promptTokens).toBe(baseline.results.summary.inputTokens);
    expect(server.warnings).toEqual([]);
    expect(server.requestsRunning?.max).toBeGreaterThan(0);
  });

  it("agrees with the simulator's own TTFT p95 within the precision of its buckets", () => {
    const ttft = baseline.results.server!.latency.ttft!;
    const own = baseline.stats.log
      .filter((entry) => entry.path === '/v1/chat/completions')
      .slice(-REQUESTS)
      .map((entry) => entry.firstTokenAtMs! - entry.receivedAtMs)
      .sort((a, b) => a - b);
    expect(own.length).toBe(REQUESTS);
    const ownP95 = own[Math.ceil(0.95 * own.length) - 1]!;
    const [lower, upper] = ttft.p95BucketMs!;
    expect(ttft.p95Ms!).toBeGreaterThanOrEqual(lower);
    expect(ttft.p95Ms!).toBeLessThanOrEqual(upper);
    // Interpolation within a bucket is off by at most the bucket's width; the request log's
    // clock also starts a body-read earlier than the engine's (5 ms allowed for that).
    expect(Math.abs(ownP95 - ttft.p95Ms!)).toBeLessThanOrEqual(upper - lower + 5);
  });

  const cases: Array<[string, SimulatorOptions, Cause]> = [
    ['added queueing (fewer batch slots)', { ...BASE, maxBatch: 2 }, 'queueing'],
    ['slower prefill', { ...BASE, ttftScale: 5 }, 'prefill'],
    ['slower decode', { ...BASE, itlScale: 3 }, 'decode'],
    [
      'a slow proxy in front of the server',
      { ...BASE, proxyDelayMs: 40 },
      'between-client-and-server',
    ],
    ['longer outputs', { ...BASE, outputTokens: 'max' }, 'output-lengths'],
  ];

  it.for(cases)('names the cause of %s', async ([, options, cause]) => {
    const before = await measure(BASE);
    const { results } = await measure(options);
    const report = gateReport(before.results, results);
    const diagnosis = diagnosisOf(report);
    expect(
      diagnosis?.cause,
      JSON.stringify([diagnosis, report.gate?.checks.map((c) => [c.metric, c.status, c.evidence])]),
    ).toBe(cause);
    expect(diagnosis?.serverView).toBe(true);
    const comment = renderReport(report);
    expect(comment).toContain('**Diagnosis:**');
    expect(comment).toContain('#### Server view');
  });

  it('without the server view, says what the client alone can tell', async () => {
    const strip = (side: RunResults): RunResults => {
      const { server: _server, ...rest } = side;
      return rest;
    };
    const before = await measure(BASE);
    const { results } = await measure({ ...BASE, proxyDelayMs: 80 });
    const diagnosis = diagnosisOf(gateReport(strip(before.results), strip(results)));
    expect(diagnosis?.cause).toBe('between-client-and-server');
    expect(diagnosis?.serverView).toBe(false);
    expect(diagnosis?.sentence).toContain('metrics-url');
  });
});
