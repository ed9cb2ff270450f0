import { describe, expect, it } from 'vitest';
import { RUN_FLAGS, nearest, parseCommand } from '../../src/cli/args.js';
import { SIMULATE_HELP, placeholder, runHelp } from '../../src/cli/help.js';
import { SIMULATE_FLAGS } from '../../src/cli/simulate-options.js';
import { EndpointError, InputError, MixError, describeFailure } from '../../src/errors.js';
import { EXIT_STATUS } from '../../src/exit-status.js';

const run = (args: string[]) => parseCommand('run', args, { flags: RUN_FLAGS, placeholder });

function errorOf(action: () => unknown): InputError {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('CLI arguments', () => {
  it('reads --name value and --name=value', () => {
    expect(run(['--model', 'm', '--requests=20']).values).toEqual({ model: 'm', requests: '20' });
  });

  it('takes a switch bare, with =value, or followed by true/false', () => {
    expect(run(['--cache-bust']).values).toEqual({ 'cache-bust': 'true' });
    expect(run(['--cache-bust=false']).values).toEqual({ 'cache-bust': 'false' });
    expect(run(['--fail-on-regression', 'false', '--model', 'm']).values).toEqual({
      'fail-on-regression': 'false',
      model: 'm',
    });
  });

  it('takes a negative number as a value, for the input to name it', () => {
    expect(run(['--concurrency', '-4']).values).toEqual({ concurrency: '-4' });
  });

  it('answers an unknown flag in one line, with the nearest name when it is a typo', () => {
    expect(errorOf(() => run(['--modle', 'x'])).message).toBe(
      'run: unknown flag --modle; did you mean --model?',
    );
    expect(errorOf(() => run(['--concurency=3'])).message).toBe(
      'run: unknown flag --concurency; did you mean --concurrency?',
    );
    expect(errorOf(() => run(['--frobnicate'])).message).toBe(
      'run: unknown flag --frobnicate; see llm-perf-gate run --help',
    );
    expect(errorOf(() => run(['-x'])).message).toBe(
      'run: unknown flag -x; see llm-perf-gate run --help',
    );
  });

  it('says which flags belong to the action only', () => {
    expect(errorOf(() => run(['--github-token', 't'])).message).toMatch(
      /--github-token is an input of the GitHub Action only/,
    );
  });

  it('names a flag that is missing its value, with what the value looks like', () => {
    expect(errorOf(() => run(['--endpoint'])).message).toBe(
      'run: --endpoint needs a value (--endpoint URL)',
    );
    expect(errorOf(() => run(['--model', '--requests', '3'])).message).toBe(
      'run: --model needs a value (--model NAME)',
    );
  });

  it('refuses stray arguments, and a number that lost its flag says so', () => {
    expect(errorOf(() => run(['--model', 'm', 'extra'])).message).toBe(
      'run: unexpected argument "extra"; see llm-perf-gate run --help',
    );
    expect(errorOf(() => run(['8'])).message).toMatch(/a value must follow its flag/);
  });

  it('sees -h and --help anywhere, and stops at --', () => {
    expect(run(['--model', 'm', '-h']).help).toBe(true);
    const report = parseCommand('report', ['--', '--odd-name.json'], {
      flags: {},
      maxPositionals: 1,
    });
    expect(report.positionals).toEqual(['--odd-name.json']);
  });

  it('finds typos but not unrelated words', () => {
    expect(nearest('rnu', ['run', 'demo', 'simulate', 'report'])).toBe('run');
    expect(nearest('simlate', ['run', 'demo', 'simulate', 'report'])).toBe('simulate');
    expect(nearest('banana', ['run', 'demo', 'simulate', 'report'])).toBeUndefined();
  });
});

describe('CLI help', () => {
  it('lists every flag of simulate', () => {
    for (const flag of Object.keys(SIMULATE_FLAGS)) expect(SIMULATE_HELP).toContain(`--${flag} `);
  });

  it('lists every flag of run with its placeholder, switches without one', () => {
    const help = runHelp();
    for (const [flag, spec] of Object.entries(RUN_FLAGS)) {
      expect(help).toContain(
        spec.type === 'boolean' ? `--${flag} ` : `--${flag} ${placeholder(flag)}`,
      );
    }
  });
});

describe('exit status of an error', () => {
  it('is 2 for what the user configured, 3 for an unusable endpoint, 70 with a stack for a bug', () => {
    expect(describeFailure(new InputError('concurrency', 'x')).exitStatus).toBe(EXIT_STATUS.usage);
    expect(describeFailure(new MixError('x')).exitStatus).toBe(2);
    expect(describeFailure(new EndpointError('x')).exitStatus).toBe(EXIT_STATUS.unhealthy);
    const bug = describeFailure(new TypeError('x is not a function'));
    expect(bug.exitStatus).toBe(EXIT_STATUS.bug);
    expect(bug.text).toMatch(
      /^unexpected error \(a bug in llm-perf-gate; .*\n.*TypeError: x is not a function\n\s+at /s,
    );
  });
});
