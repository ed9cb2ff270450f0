import { InputError, MixError } from './errors.js';

/** Exit statuses of the CLI (and of any entry point that exits): one table, read by both. */
export const EXIT_STATUS = {
  /** pass, no-baseline or updated */
  ok: 0,
  /** the gate failed the run, or the run failed */
  failed: 1,
  /** what was typed or configured is wrong: a flag, an input value, a mix file */
  usage: 2,
} as const;

/** The status for an error that ended a command: 2 when the user can fix the command line. */
export function exitStatusOf(error: unknown): number {
  return error instanceof InputError || error instanceof MixError
    ? EXIT_STATUS.usage
    : EXIT_STATUS.failed;
}
