#!/usr/bin/env node
import { RUN_FLAGS, nearest, parseCommand, stringFlag, type ParsedCommand } from './cli/args.js';
import { DEMO_FLAGS, runDemo } from './cli/demo.js';
import { SIMULATE_HELP, USAGE, demoHelp, placeholder, reportHelp, runHelp } from './cli/help.js';
import { printResultsFile } from './cli/report-file.js';
import { SIMULATE_FLAGS, simulatorOptionsFromFlags } from './cli/simulate-options.js';
import { hideWorkflowDebugLines } from './cli/workflow-debug.js';
import type { InputName } from './config/inputs.js';
import { parseConfig, secretsOf } from './config/parse.js';
import { cancelOnSignals } from './cancel.js';
import { InputError, describeFailure } from './errors.js';
import { readActionsEvent } from './github/context.js';
import { EXIT_STATUS } from './exit-status.js';
import { renderTerminal } from './report/terminal.js';
import { run } from './run.js';
import { redactSecrets } from './secrets.js';
import { startSimulator } from './simulator/index.js';
import { TOOL_VERSION } from './version.js';

const COMMANDS = ['run', 'demo', 'simulate', 'report', 'help'];

/** The CLI: the same engine as the action, with flags named like its inputs. */
async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (command === undefined) {
    log(USAGE);
    return EXIT_STATUS.usage;
  }
  const signal = cancelOnSignals(log);

  switch (command) {
    case '--version':
    case 'version':
      process.stdout.write(`${TOOL_VERSION}\n`);
      return EXIT_STATUS.ok;
    case 'help':
    case '--help':
    case '-h':
      return printHelp(args[0] ? helpOf(args[0]) : USAGE);
    case 'run': {
      const { values, help } = parseCommand('run', args, { flags: RUN_FLAGS, placeholder });
      if (help) return printHelp(runHelp());
      return benchmark(
        (name) =>
          stringFlag(values, name) ??
          (name === 'api-key' ? process.env.LLM_PERF_GATE_API_KEY : undefined),
        signal,
      );
    }
    case 'demo': {
      const { values, help } = parseCommand('demo', args, { flags: DEMO_FLAGS });
      if (help) return printHelp(demoHelp());
      return runDemo({
        regression: !/^(true|yes|on|1)$/i.test(values['no-regression'] ?? 'false'),
        color: process.stdout.isTTY === true,
        signal,
        print: (text) => process.stdout.write(text),
        log,
      });
    }
    case 'simulate': {
      const { values, help } = parseCommand('simulate', args, { flags: SIMULATE_FLAGS });
      if (help) return printHelp(SIMULATE_HELP);
      const simulator = await startSimulator(simulatorOptionsFromFlags(values));
      log(
        `simulator: OpenAI-compatible API at ${simulator.url}, Prometheus metrics at ${new URL(simulator.url).origin}/metrics (Ctrl-C to stop)`,
      );
      await new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        process.once('SIGTERM', () => resolve());
      });
      await simulator.close();
      return EXIT_STATUS.ok;
    }
    case 'report': {
      const { values, positionals, help } = parseCommand('report', args, {
        flags: {
          baseline: { type: 'string' },
          'export-bmf': { type: 'string' },
          'export-github-benchmark': { type: 'string' },
        },
        maxPositionals: 1,
        placeholder: (flag) => (flag === 'baseline' ? 'FILE' : 'OUT'),
      });
      if (help) return printHelp(reportHelp());
      const [file] = positionals;
      if (file === undefined) {
        throw new InputError('FILE', 'report: which results file? llm-perf-gate report FILE');
      }
      const printed = await printResultsFile(file, stringFlag(values, 'baseline'), {
        ...exportFlag(values, 'export-bmf', 'bmf'),
        ...exportFlag(values, 'export-github-benchmark', 'githubBenchmark'),
      });
      process.stdout.write(printed.text);
      if (printed.failure) log(`error: ${printed.failure}`);
      return printed.exitStatus;
    }
    default:
      throw unknownCommand(command);
  }
}

function unknownCommand(command: string): InputError {
  const suggestion = nearest(command.replace(/^-+/, ''), COMMANDS);
  const hint = suggestion ? `did you mean ${suggestion}?` : 'see llm-perf-gate --help';
  return new InputError('command', `unknown command ${JSON.stringify(command)}; ${hint}`);
}

function helpOf(command: string): string {
  switch (command) {
    case 'run':
      return runHelp();
    case 'demo':
      return demoHelp();
    case 'simulate':
      return SIMULATE_HELP;
    case 'report':
      return reportHelp();
    default:
      throw unknownCommand(command);
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
    event: readActionsEvent(process.env),
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
  values: ParsedCommand['values'],
  flag: string,
  key: K,
): Partial<Record<K, string>> {
  const path = stringFlag(values, flag);
  return path ? ({ [key]: path } as Partial<Record<K, string>>) : {};
}

function printHelp(text: string): number {
  process.stdout.write(`${text}\n`);
  return EXIT_STATUS.ok;
}

hideWorkflowDebugLines(process.stdout);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const failure = describeFailure(error);
  process.stderr.write(
    `error: ${redactSecrets(failure.text, [process.env.LLM_PERF_GATE_API_KEY ?? ''])}\n`,
  );
  process.exitCode = failure.exitStatus;
}
