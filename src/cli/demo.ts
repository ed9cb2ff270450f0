/**
 * `llm-perf-gate demo`: the gate at work on the built-in simulator, in under half a minute. Run 1
 * measures the simulator exactly as it was when the committed baseline in baselines/ was recorded
 * (a pass, with the comparison); run 2 measures it with slower prefill and decode, as after a bad
 * deploy, and the gate catches it. Both markdown reports (the PR comment the action would write)
 * land under .llm-perf-gate/.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InputName } from '../config/inputs.js';
import type { FlagSpecs } from './args.js';
import { parseConfig, secretsOf } from '../config/parse.js';
import type { Mode } from '../domain/config.js';
import { readActionsEvent, type ActionsEvent } from '../github/context.js';
import type { Verdict } from '../domain/judgement.js';
import { renderReport } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { run, type RunOutcome } from '../run.js';
import { redactSecrets } from '../secrets.js';
import { startSimulator } from '../simulator/index.js';
import type { SimulatorOptions } from '../simulator/types.js';

/**
 * The repository's root: the nearest folder above this module that holds the demo mix (this
 * module runs from src/cli/ or bundled in dist/cli/). Found at run time, so the bundler does
 * not mistake the path for an asset to copy.
 */
function repositoryRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(folder, DEMO_MIX_PATH))) return folder;
    const parent = dirname(folder);
    if (parent === folder) return process.cwd();
    folder = parent;
  }
}

const DEMO_MIX_PATH = join('examples', 'mixes', 'demo.yaml');
const ROOT = repositoryRoot();

/** The repository's baselines/ folder, which holds the demo's committed baseline. */
export const DEMO_BASELINE_DIR = join(ROOT, 'baselines');

/** Short answers keep the demo quick; the mix's fingerprint is part of the baseline key. */
export const DEMO_MIX = join(ROOT, DEMO_MIX_PATH);

/** Where the demo writes its results and reports, under the current directory. */
export const DEMO_OUTPUT_DIR = '.llm-perf-gate';

/**
 * The simulated server. Steps long enough that a busy machine's timer lag (a few ms) is small
 * beside them, and little jitter, so the committed baseline keeps passing on a loaded laptop.
 */
const SERVER_SETTINGS = {
  seed: 7,
  prefillBaseMs: 100,
  prefillMsPerToken: 0.02,
  decodeStepMs: 4,
  decodeStepMsPerSequence: 0.02,
  maxBatch: 64,
  jitter: 0.05,
} satisfies SimulatorOptions;

/**
 * The simulator's system_fingerprint names its settings, and every baseline records it: a change
 * of settings shows as a stale baseline (a warning, and the staleness test fails).
 */
export const DEMO_SIMULATOR: SimulatorOptions = {
  ...SERVER_SETTINGS,
  systemFingerprint: `fp_demo_${createHash('sha256').update(JSON.stringify(SERVER_SETTINGS)).digest('hex').slice(0, 12)}`,
};

/** Run 2's server: what a bad deploy looks like, well past the 10% thresholds. */
export const DEMO_SLOWDOWN = { ttftScale: 2, itlScale: 1.5 } satisfies SimulatorOptions;

/**
 * Every input the demo sets; the baseline script records with the same ones. Paths are relative
 * to the current directory so that no machine's absolute path lands in the committed baseline.
 */
export function demoInputs(
  endpoint: string,
  mode: Mode,
  resultsPath: string,
): Partial<Record<InputName, string>> {
  return {
    endpoint,
    model: 'sim-llama-8b',
    hardware: 'simulator',
    'prompt-mix': fromHere(DEMO_MIX),
    requests: '400',
    concurrency: '16',
    'warmup-requests': '32',
    // The spread between trials is what tells the gate how much whole runs vary here.
    'baseline-trials': '5',
    seed: '42',
    mode,
    'baseline-dir': fromHere(DEMO_BASELINE_DIR),
    'baseline-source': 'files',
    comment: 'never',
    // A loaded laptop is noisier than a runner: a metric lost in that noise keeps the demo's
    // pass green, and the headline names it, instead of turning the run inconclusive.
    'on-low-sensitivity': 'pass',
    'results-path': resultsPath,
    // The simulator's vLLM-style /metrics: the reports show the server's own view too.
    'metrics-url': `${new URL(endpoint).origin}/metrics`,
    'metrics-interval': '1s',
  };
}

function fromHere(path: string): string {
  return relative(process.cwd(), path) || '.';
}

export interface DemoOptions {
  /** Skip run 2 (the slowed server). */
  regression: boolean;
  color: boolean;
  signal?: AbortSignal;
  /** The report and the closing summary. */
  print: (text: string) => void;
  /** Progress lines. */
  log: (line: string) => void;
}

interface DemoRun {
  title: string;
  server: SimulatorOptions;
  expected: Verdict;
  name: string;
}

const RUNS: DemoRun[] = [
  {
    name: 'pass',
    title: 'the simulator as it was when baselines/ was recorded',
    server: DEMO_SIMULATOR,
    expected: 'pass',
  },
  {
    name: 'regression',
    title: `the same simulator with ${DEMO_SLOWDOWN.ttftScale}× slower prefill and ${DEMO_SLOWDOWN.itlScale}× slower decode`,
    server: { ...DEMO_SIMULATOR, ...DEMO_SLOWDOWN },
    expected: 'regression',
  },
];

/** Runs the demo; 0 when every run came out as it should (a pass, then a caught regression). */
export async function runDemo(options: DemoOptions): Promise<number> {
  const runs = options.regression ? RUNS : RUNS.slice(0, 1);
  await mkdir(DEMO_OUTPUT_DIR, { recursive: true });
  const done: Array<{ run: DemoRun; verdict: Verdict; commentPath: string }> = [];
  const event = readActionsEvent(process.env);
  for (const [index, demoRun] of runs.entries()) {
    options.print(`\n── Run ${index + 1} of ${runs.length}: ${demoRun.title} ──\n\n`);
    const outcome = await measure(demoRun, event, options);
    options.print(renderTerminal(outcome.report, { color: options.color }));
    const commentPath = join(DEMO_OUTPUT_DIR, `demo-${demoRun.name}-comment.md`);
    await writeFile(commentPath, renderReport(outcome.report));
    done.push({ run: demoRun, verdict: outcome.verdict, commentPath });
    if (options.signal?.aborted) break;
  }
  options.print(`\n${summary(done)}\n`);
  return done.every(({ run: demoRun, verdict }) => verdict === demoRun.expected) ? 0 : 1;
}

async function measure(
  demoRun: DemoRun,
  event: ActionsEvent,
  options: DemoOptions,
): Promise<RunOutcome> {
  const simulator = await startSimulator(demoRun.server);
  try {
    const resultsPath = join(DEMO_OUTPUT_DIR, `demo-${demoRun.name}-results.json`);
    const inputs = demoInputs(simulator.url, 'gate', resultsPath);
    const config = parseConfig((name) => inputs[name]);
    const secrets = secretsOf(config);
    const log = (line: string) => options.log(redactSecrets(line, secrets));
    return await run(config, {
      cwd: process.cwd(),
      env: process.env,
      event,
      log,
      warn: (line) => log(`warning: ${line}`),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await simulator.close();
  }
}

function summary(done: Array<{ run: DemoRun; verdict: Verdict; commentPath: string }>): string {
  const lines = ['Demo summary'];
  for (const [index, { run: demoRun, verdict, commentPath }] of done.entries()) {
    const surprise = verdict === demoRun.expected ? '' : ` (expected ${demoRun.expected})`;
    lines.push(
      `  run ${index + 1}  ${verdict.toUpperCase()}${surprise}  ${demoRun.title}`,
      `         PR comment: ${relative(process.cwd(), commentPath) || commentPath}`,
    );
  }
  if (done.some(({ run: demoRun, verdict }) => verdict !== demoRun.expected)) {
    lines.push(
      '  A run did not come out as the demo expects; its report above says why (a busy machine',
      '  shows as inconclusive: close other work and run `npm run demo` again).',
    );
  }
  lines.push(
    '  Next: gate your own endpoint with',
    '  npx llm-perf-gate run --endpoint http://HOST/v1 --model NAME --mode update-baseline, then --mode gate',
  );
  return lines.join('\n');
}

export const DEMO_FLAGS: FlagSpecs = { 'no-regression': { type: 'boolean' } };
