#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FLAGS, parseCommand, stringFlag } from './cli/args.js';
import { SIMULATE_HELP, USAGE, runHelp } from './cli/help.js';
import { printResultsFile } from './cli/report-file.js';
import { SIMULATE_FLAGS, simulatorOptionsFromFlags } from './cli/simulate-options.js';
import type { InputName } from './config/inputs.js';
import { parseConfig, secretsOf } from './config/parse.js';
import { describeFailure } from './errors.js';
import { cancelOnSignals } from './cancel.js';
import { renderTerminal } from './report/terminal.js';
import { run } from './run.js';
import { redactSecrets } from './secrets.js';
import { startSimulator } from './simulator/index.js';
import { TOOL_VERSION } from './version.js';

/** The CLI: the same engine as the action, with flags named like its inputs. */
async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...args] = argv;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const signal = cancelOnSignals(log);

  switch (command) {
    case '--version':
    case 'version':
      process.stdout.write(`${TOOL_VERSION}\n`);
      return 0;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'run': {
      const { values } = parseCommand('run', args, RUN_FLAGS);
      if (values.help) return printAndSucceed(runHelp());
      return benchmark(
        (name) =>
          stringFlag(values, name) ??
          (name === 'api-key' ? process.env.LLM_PERF_GATE_API_KEY : undefined),
        signal,
      );
    }
    case 'demo': {
      const { values } = parseCommand('demo', args, RUN_FLAGS);
      if (values.help) return printAndSucceed(runHelp());
      const simulator = await startSimulator({ seed: 7 });
      log(`demo: simulator listening at ${simulator.url}`);
      mkdirSync('.llm-perf-gate', { recursive: true });
      const demoDefaults: Partial<Record<InputName, string>> = {
        endpoint: simulator.url,
        model: 'sim-llama-8b',
        hardware: 'simulator',
        mode: 'report',
        requests: '200',
        concurrency: '8',
        'results-path': join('.llm-perf-gate', 'demo-results.json'),
      };
      try {
        return await benchmark((name) => stringFlag(values, name) ?? demoDefaults[name], signal);
      } finally {
        await simulator.close();
      }
    }
    case 'simulate': {
      const { values } = parseCommand('simulate', args, SIMULATE_FLAGS);
      if (values.help) return printAndSucceed(SIMULATE_HELP);
      const simulator = await startSimulator(simulatorOptionsFromFlags(values));
      log(`simulator: OpenAI-compatible API at ${simulator.url} (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        process.once('SIGTERM', () => resolve());
      });
      await simulator.close();
      return 0;
    }
    case 'report': {
      const { values, positionals } = parseCommand('report', args, {
        baseline: { type: 'string' },
        'export-bmf': { type: 'string' },
        'export-github-benchmark': { type: 'string' },
      });
      if (values.help || positionals.length === 0) return printAndSucceed(USAGE);
      const printed = await printResultsFile(positionals[0] ?? '', stringFlag(values, 'baseline'), {
        ...exportFlag(values, 'export-bmf', 'bmf'),
        ...exportFlag(values, 'export-github-benchmark', 'githubBenchmark'),
      });
      process.stdout.write(printed.text);
      if (printed.failure) log(`error: ${printed.failure}`);
      return printed.exitStatus;
    }
    default:
      log(`unknown command "${command}"; try llm-perf-gate --help`);
      return 1;
  }
}

async function benchmark(
  read: (name: InputName) => string | undefined,
  signal: AbortSignal,
): Promise<number> {
  const config = parseConfig(read);
  const secrets = secretsOf(config);
  const log = (line: string) => process.stderr.write(`${redactSecrets(line, secrets)}\n`);
  const outcome = await run(config, {
    cwd: process.cwd(),
    env: process.env,
    log,
    warn: (line) => log(`warning: ${line}`),
    signal,
  });
  process.stdout.write(
    redactSecrets(
      renderTerminal(outcome.report, { color: process.stdout.isTTY === true }),
      secrets,
    ),
  );
  if (outcome.failure) log(`error: ${redactSecrets(outcome.failure, secrets)}`);
  return outcome.exitStatus;
}

function exportFlag<K extends string>(
  values: Record<string, string | boolean | undefined>,
  flag: string,
  key: K,
): Partial<Record<K, string>> {
  const path = stringFlag(values, flag);
  return path ? ({ [key]: path } as Partial<Record<K, string>>) : {};
}

function printAndSucceed(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const failure = describeFailure(error);
  process.stderr.write(
    `error: ${redactSecrets(failure.text, [process.env.LLM_PERF_GATE_API_KEY ?? ''])}\n`,
  );
  process.exitCode = failure.exitStatus;
}
