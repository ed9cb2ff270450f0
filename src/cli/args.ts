import { parseArgs } from 'node:util';
import { INPUTS } from '../config/inputs.js';
import { InputError } from '../errors.js';

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Flags of `run`: exactly the action's input names, so docs and habits carry over. */
export const RUN_FLAGS: FlagSpec = Object.fromEntries(
  INPUTS.map((input) => [input.name, { type: 'string' as const }]),
);

const COMMON_FLAGS: FlagSpec = {
  help: { type: 'boolean', short: 'h' },
};

/** Parses argv with node's own parser; an unknown flag is one clear line, not a stack trace. */
export function parseCommand(
  command: string,
  args: readonly string[],
  flags: FlagSpec,
): ParsedCommand {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...COMMON_FLAGS, ...flags },
      allowPositionals: true,
      strict: true,
    });
    return {
      values: parsed.values as Record<string, string | boolean | undefined>,
      positionals: parsed.positionals,
    };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new InputError('arguments', `${command}: ${message}`);
  }
}

export function stringFlag(values: ParsedCommand['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
