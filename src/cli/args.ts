import { INPUTS, type InputName } from '../config/inputs.js';
import { InputError } from '../errors.js';

export interface ParsedCommand {
  /** Flag values as typed; a boolean flag given bare reads as `'true'`. */
  values: Record<string, string | undefined>;
  positionals: string[];
  help: boolean;
}

export interface FlagSpec {
  type: 'string' | 'boolean';
}
export type FlagSpecs = Record<string, FlagSpec>;

/** Inputs that only mean something inside a workflow run: the CLI prints its report instead. */
const ACTION_ONLY_INPUTS: ReadonlySet<string> = new Set<InputName>(['github-token', 'comment']);

/** An input whose values are true/false is a switch on the command line (`--cache-bust`). */
function isBooleanInput(input: (typeof INPUTS)[number]): boolean {
  return 'default' in input && (input.default === 'true' || input.default === 'false');
}

/** The inputs the CLI takes as flags of `run` and `demo`, under the action's input names. */
export const CLI_INPUTS = INPUTS.filter((input) => !ACTION_ONLY_INPUTS.has(input.name));

/** Flags of `run`: the action's input names, so docs and habits carry over. */
export const RUN_FLAGS: FlagSpecs = Object.fromEntries(
  CLI_INPUTS.map((input) => [input.name, { type: isBooleanInput(input) ? 'boolean' : 'string' }]),
);

const BOOLEAN_WORDS = /^(true|false|yes|no|on|off)$/i;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export interface CommandShape {
  flags: FlagSpecs;
  /** Positional arguments the command takes (FILE of `report`); more is a usage error. */
  maxPositionals?: number;
  /** What `--NAME VALUE` expects, for the "needs a value" line. */
  placeholder?: (flag: string) => string;
}

/**
 * Reads `--name value`, `--name=value`, bare boolean switches and `-h`/`--help`. Every mistake
 * is an InputError of one line that names the flag: unknown flags with the nearest known name,
 * a flag missing its value, stray arguments. A value that looks like a negative number is taken
 * as the value, so the input's own check can name it (`--concurrency -4`).
 */
export function parseCommand(
  command: string,
  args: readonly string[],
  shape: CommandShape,
): ParsedCommand {
  const values: Record<string, string | undefined> = {};
  const positionals: string[] = [];
  let help = false;
  let onlyPositionals = false;
  for (let index = 0; index < args.length; index++) {
    const token = args[index] ?? '';
    if (onlyPositionals || token === '-' || !token.startsWith('-') || NUMBER.test(token)) {
      positionals.push(token);
      continue;
    }
    if (token === '--') {
      onlyPositionals = true;
      continue;
    }
    if (token === '-h' || token === '--help') {
      help = true;
      continue;
    }
    const equals = token.indexOf('=');
    const name = token.slice(token.startsWith('--') ? 2 : 1, equals < 0 ? undefined : equals);
    const inline = equals < 0 ? undefined : token.slice(equals + 1);
    const spec = token.startsWith('--') ? shape.flags[name] : undefined;
    if (!spec) throw unknownFlag(command, token.slice(0, equals < 0 ? undefined : equals), shape);
    const next = args[index + 1];
    if (spec.type === 'boolean') {
      if (inline !== undefined) values[name] = inline;
      else if (next !== undefined && BOOLEAN_WORDS.test(next)) values[name] = args[++index];
      else values[name] = 'true';
      continue;
    }
    if (inline !== undefined) {
      values[name] = inline;
    } else if (next === undefined || (next.startsWith('-') && !NUMBER.test(next))) {
      const placeholder = shape.placeholder?.(name) ?? 'VALUE';
      throw new InputError(name, `${command}: --${name} needs a value (--${name} ${placeholder})`);
    } else {
      values[name] = next;
      index++;
    }
  }
  const allowed = shape.maxPositionals ?? 0;
  if (!help && positionals.length > allowed) {
    const extra = positionals[allowed] ?? '';
    const hint = NUMBER.test(extra) ? ' (a value must follow its flag: --NAME VALUE)' : '';
    throw new InputError(
      'arguments',
      `${command}: unexpected argument ${JSON.stringify(extra)}${hint}; see llm-perf-gate ${command} --help`,
    );
  }
  return { values, positionals, help };
}

export function stringFlag(values: ParsedCommand['values'], name: string): string | undefined {
  return values[name];
}

function unknownFlag(command: string, flag: string, shape: CommandShape): InputError {
  const name = flag.replace(/^-+/, '');
  if (ACTION_ONLY_INPUTS.has(name) && shape.flags === RUN_FLAGS) {
    return new InputError(
      name,
      `${command}: --${name} is an input of the GitHub Action only; the CLI prints its report`,
    );
  }
  const suggestion = nearest(name, Object.keys(shape.flags));
  const hint = suggestion ? `did you mean --${suggestion}?` : `see llm-perf-gate ${command} --help`;
  return new InputError(name || flag, `${command}: unknown flag ${flag}; ${hint}`);
}

/** The candidate closest to `typed` when it is plausibly a typo of it, else undefined. */
export function nearest(typed: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(typed.toLowerCase(), name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  const close = best.distance <= Math.max(1, Math.min(3, Math.floor(best.name.length / 3)));
  const prefix = typed.length >= 3 && best.name.startsWith(typed.toLowerCase());
  return close || prefix ? best.name : undefined;
}

/** Levenshtein distance where swapping two neighbouring letters counts as one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      const row = rows[i];
      if (row) row[j] = value;
    }
  }
  return at(a.length, b.length);
}
