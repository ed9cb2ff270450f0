import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { TINY_MIX } from '../helpers/light-load.js';
import { CLI_ENTRY, makeWorkspace, runNode } from '../helpers/run-action.js';

/** Outputs of a few tokens: these tests are about the CLI, not about streams. */
const MIX = TINY_MIX;
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ decodeStepMs: 1, seed: 5 });
});

afterAll(async () => {
  await simulator.close();
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runNode(CLI_ENTRY, args, { env: { ...process.env, ...env }, cwd: makeWorkspace() });
}

/** A configuration error: one line, exit status 2 (src/exit-status.ts), no stack trace. */
function expectOneLineError(result: { exitCode: number; stderr: string }, pattern: RegExp) {
  expect(result.exitCode).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines.at(-1)).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('llm-perf-gate CLI', () => {
  it('prints its version and help', async () => {
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    const help = await cli(['run', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--request-rate RPS');
    expect(help.stdout).toMatch(/^ {2}--cache-bust {2,}/m);
    expect(help.stdout).not.toContain('--github-token');
    expect(help.stdout).not.toContain('--comment');
    const simulateHelp = await cli(['simulate', '--help']);
    expect(simulateHelp.stdout).toMatch(/^Usage: llm-perf-gate simulate/);
    expect(simulateHelp.stdout).toContain('--max-batch N');
  });

  it('without arguments prints the usage and exits 2', async () => {
    const result = await cli([]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Usage:');
    expect(result.stdout).toBe('');
  });

  it('run prints the report and writes results, with the same option names as the action', async () => {
    const workspace = makeWorkspace();
    const resultsPath = join(workspace, 'out.json');
    const result = await runNode(
      CLI_ENTRY,
      [
        'run',
        '--endpoint',
        simulator.url,
        '--model',
        'sim-llama-8b',
        '--prompt-mix',
        MIX,
        '--requests',
        '120',
        '--concurrency',
        '16',
        '--mode',
        'report',
        '--results-path',
        resultsPath,
        '--cache-bust',
        // A busy machine may trip the load generator's self-check (verdict inconclusive, exit
        // 1): this test is about the CLI, not that verdict.
        '--fail-on-regression',
        'false',
      ],
      { cwd: workspace },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('TTFT');
    // Sixteen requests in flight listen on one abort signal: by design, not a leak to warn of.
    expect(result.stderr).not.toContain('MaxListenersExceededWarning');
    const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
    expect(results.summary.requests).toBe(120);
    expect(results.config.cacheBust).toBe(true);
    const rerendered = await cli([
      'report',
      resultsPath,
      '--export-bmf',
      join(workspace, 'bmf.json'),
      '--export-github-benchmark',
      join(workspace, 'gab.json'),
    ]);
    expect(rerendered.exitCode, rerendered.stderr).toBe(0);
    expect(rerendered.stdout).toContain('TTFT');
    const bmf = JSON.parse(readFileSync(join(workspace, 'bmf.json'), 'utf8'));
    const [benchmark] = Object.values(bmf) as Array<Record<string, { value: number }>>;
    expect(benchmark?.['ttft-p95-ms']?.value).toBe(results.summary.distributions.ttft.p95Ms);
    const smaller = JSON.parse(readFileSync(join(workspace, 'gab.smaller-is-better.json'), 'utf8'));
    expect(smaller.length).toBeGreaterThan(0);
    expect(smaller[0]).toHaveProperty('unit');

    // The same file with a figure edited: one line naming the field, exit 2, nothing rendered.
    results.summary.errorRate = 0.2;
    const edited = join(workspace, 'edited.json');
    writeFileSync(edited, JSON.stringify(results));
    expectOneLineError(
      await cli(['report', edited]),
      /^error: results file \S+edited\.json: summary\.errorRate is 0\.2 but the counts and window beside it give 0: the figures were edited or damaged$/,
    );
  });

  // One of each path to the top-level handler: a value the config parser refuses, a flag the
  // argument reader refuses, a threshold the gate's parser refuses. The messages of every input
  // and flag are pinned by test/unit/config.test.ts and test/unit/cli-args.test.ts.
  it.each([
    [
      ['--concurrency', '-4'],
      /^error: concurrency must be a positive integer, got the negative number -4$/,
    ],
    [['--modle', 'm'], /^error: run: unknown flag --modle; did you mean --model\?$/],
    [['--thresholds', 'ttft.p97: +10%'], /thresholds/],
  ])('bad input %j is one line, exit 2, no stack trace', async (extra, pattern) => {
    const result = await cli(['run', '--endpoint', simulator.url, '--model', 'm', ...extra]);
    expectOneLineError(result, pattern);
  });

  it('a broken mix file is one line naming it', async () => {
    const workspace = makeWorkspace();
    const mixPath = join(workspace, 'mix.yaml');
    writeFileSync(
      mixPath,
      'classes:\n  - name: a\n    weight: 1\n    max_tokens: lots\n    prompts: [hi]\n',
    );
    const result = await runNode(
      CLI_ENTRY,
      ['run', '--endpoint', simulator.url, '--model', 'm', '--prompt-mix', mixPath],
      { cwd: workspace },
    );
    expectOneLineError(result, /mix\.yaml: classes\[0\]\.max_tokens must be a positive integer/);
  });

  it('an unreachable endpoint is one line', async () => {
    const result = await cli([
      'run',
      '--endpoint',
      'http://127.0.0.1:9/v1',
      '--model',
      'm',
      '--mode',
      'report',
      '--prompt-mix',
      MIX,
      '--warmup-requests',
      '2',
    ]);
    // Unhealthy, not a configuration error: exit 3, the results are still written.
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^error: unhealthy: every warm-up request failed \(connect ×2\).*check the endpoint URL, port and TLS/i,
    );
    expect(result.stdout).toContain('UNHEALTHY');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes the API key from the environment and never prints it', async () => {
    const keyed = await startSimulator({ apiKey: 'sk-cli-env-key-999', decodeStepMs: 1 });
    try {
      const result = await cli(
        [
          'run',
          '--endpoint',
          keyed.url,
          '--model',
          'sim-llama-8b',
          '--mode',
          'report',
          '--prompt-mix',
          MIX,
          '--requests',
          '20',
          '--fail-on-regression=false',
        ],
        { LLM_PERF_GATE_API_KEY: 'sk-cli-env-key-999' },
      );
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout + result.stderr).not.toContain('sk-cli-env-key-999');
    } finally {
      await keyed.close();
    }
  });
});
