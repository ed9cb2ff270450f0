import { EXIT_STATUS, type ExitStatus } from './exit-status.js';

/**
 * Errors are values with a class and a one-line message for the user. Only the entry points
 * (src/action.ts, src/cli.ts) turn them into exit codes; nothing else prints a stack trace.
 */
export class PerfGateError extends Error {
  override readonly name: string = 'PerfGateError';
}

/** A wrong input value: the message always names the input and what was expected. */
export class InputError extends PerfGateError {
  override readonly name = 'InputError';
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

/** The prompt mix could not be read or is invalid. */
export class MixError extends PerfGateError {
  override readonly name = 'MixError';
}

/** A baseline file is missing, corrupt, of an unknown schema or not comparable. */
export class BaselineError extends PerfGateError {
  override readonly name = 'BaselineError';
}

/** A results file could not be read or merged. */
export class ResultsError extends PerfGateError {
  override readonly name = 'ResultsError';
}

/** The endpoint could not be used at all (every request failed before a single byte came back). */
export class EndpointError extends PerfGateError {
  override readonly name = 'EndpointError';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * How an entry point reports an error: a user's problem is one line and a configuration exit
 * status; anything else is our bug, printed with its stack so that it can be reported.
 */
export function describeFailure(error: unknown): { text: string; exitStatus: ExitStatus } {
  if (error instanceof EndpointError) {
    return { text: error.message, exitStatus: EXIT_STATUS.unhealthy };
  }
  if (error instanceof PerfGateError) return { text: error.message, exitStatus: EXIT_STATUS.usage };
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    text: `unexpected error (a bug in llm-perf-gate; please report it with this output):\n${stack}`,
    exitStatus: EXIT_STATUS.bug,
  };
}
