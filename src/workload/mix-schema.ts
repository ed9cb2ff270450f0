import type { MixClass, SyntheticSpec } from './types.js';

/** Reports one problem (already naming its field path) and never returns. */
export type Fail = (message: string) => never;

/** A class as written in the file, before its prompts_file (if any) is read. */
export interface ClassDraft extends MixClass {
  promptsFile?: { path: string; limit?: number };
}

export interface MixDraft {
  name?: string;
  classes: ClassDraft[];
}

const MIX_KEYS = ['name', 'classes'];
const CLASS_KEYS = [
  'name',
  'weight',
  'max_tokens',
  'system',
  'prompts',
  'prompts_file',
  'limit',
  'synthetic',
];
const SYNTHETIC_KEYS = ['input_tokens', 'input_tokens_spread', 'shared_prefix_tokens'];
const PROMPT_SOURCES = ['prompts', 'prompts_file', 'synthetic'];

/**
 * Validates a parsed mix document (YAML or JSON) and normalizes it: defaults filled in, zero
 * optional values dropped, so equivalent files give equal drafts and equal fingerprints.
 */
export function parseMixDocument(raw: unknown, fail: Fail): MixDraft {
  if (!isMapping(raw)) {
    fail(`the file must hold a mapping with a "classes" list, got ${describe(raw)}`);
  }
  checkKeys(raw, MIX_KEYS, '', fail);
  const draft: MixDraft = { classes: parseClasses(raw.classes, fail) };
  if (raw.name !== undefined) draft.name = nonEmptyString(raw.name, 'name', fail);
  return draft;
}

function parseClasses(raw: unknown, fail: Fail): ClassDraft[] {
  if (raw === undefined) fail('classes is required: a list of classes');
  if (!Array.isArray(raw)) fail(`classes must be a list, got ${describe(raw)}`);
  if (raw.length === 0) fail('classes must hold at least one class');
  const classes = raw.map((entry, i) => parseClass(entry, `classes[${i}]`, fail));
  const firstIndexByName = new Map<string, number>();
  classes.forEach((mixClass, i) => {
    const earlier = firstIndexByName.get(mixClass.name);
    if (earlier !== undefined) {
      fail(
        `classes[${i}].name ${JSON.stringify(mixClass.name)} is already used by classes[${earlier}]`,
      );
    }
    firstIndexByName.set(mixClass.name, i);
  });
  return classes;
}

function parseClass(raw: unknown, path: string, fail: Fail): ClassDraft {
  if (!isMapping(raw)) fail(`${path} must be a mapping, got ${describe(raw)}`);
  checkKeys(raw, CLASS_KEYS, `${path}.`, fail);
  const draft: ClassDraft = {
    name: nonEmptyString(raw.name, `${path}.name`, fail),
    // Omitted weight means 1, so a one-class mix needs no weight.
    weight: raw.weight === undefined ? 1 : positiveNumber(raw.weight, `${path}.weight`, fail),
    maxTokens: positiveInteger(raw.max_tokens, `${path}.max_tokens`, fail),
  };
  if (raw.system !== undefined) draft.system = nonEmptyString(raw.system, `${path}.system`, fail);

  const sources = PROMPT_SOURCES.filter((key) => raw[key] !== undefined);
  if (sources.length !== 1) {
    const found = sources.length === 0 ? 'found none' : `found ${sources.join(' and ')}`;
    fail(`${path} must have exactly one of prompts, prompts_file, synthetic; ${found}`);
  }
  if (raw.limit !== undefined && raw.prompts_file === undefined) {
    fail(`${path}.limit only applies to prompts_file`);
  }
  if (raw.prompts !== undefined) draft.prompts = parsePrompts(raw.prompts, `${path}.prompts`, fail);
  if (raw.prompts_file !== undefined) {
    draft.promptsFile = { path: nonEmptyString(raw.prompts_file, `${path}.prompts_file`, fail) };
    if (raw.limit !== undefined) {
      draft.promptsFile.limit = positiveInteger(raw.limit, `${path}.limit`, fail);
    }
  }
  if (raw.synthetic !== undefined) {
    draft.synthetic = parseSynthetic(raw.synthetic, `${path}.synthetic`, fail);
  }
  return draft;
}

function parsePrompts(raw: unknown, path: string, fail: Fail): string[] {
  if (!Array.isArray(raw)) fail(`${path} must be a list of strings, got ${describe(raw)}`);
  if (raw.length === 0) fail(`${path} must hold at least one prompt`);
  return raw.map((prompt, i) => nonEmptyString(prompt, `${path}[${i}]`, fail));
}

function parseSynthetic(raw: unknown, path: string, fail: Fail): SyntheticSpec {
  if (!isMapping(raw)) fail(`${path} must be a mapping, got ${describe(raw)}`);
  checkKeys(raw, SYNTHETIC_KEYS, `${path}.`, fail);
  const spec: SyntheticSpec = {
    inputTokens: positiveInteger(raw.input_tokens, `${path}.input_tokens`, fail),
  };
  const spread = optionalCount(raw.input_tokens_spread, `${path}.input_tokens_spread`, fail);
  if (spread >= spec.inputTokens) {
    fail(
      `${path}.input_tokens_spread must be less than input_tokens (${spec.inputTokens}), got ${spread}`,
    );
  }
  if (spread > 0) spec.inputTokensSpread = spread;

  const prefix = optionalCount(raw.shared_prefix_tokens, `${path}.shared_prefix_tokens`, fail);
  const shortest = spec.inputTokens - spread;
  // At least one token after the prefix, so requests of the class still differ.
  if (prefix >= shortest) {
    fail(
      `${path}.shared_prefix_tokens must be less than the shortest prompt ` +
        `(input_tokens - input_tokens_spread = ${shortest}), got ${prefix}`,
    );
  }
  if (prefix > 0) spec.sharedPrefixTokens = prefix;
  return spec;
}

/** Typos must not pass silently: every key must be one we know. */
function checkKeys(
  raw: Record<string, unknown>,
  allowed: string[],
  pathPrefix: string,
  fail: Fail,
): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      fail(`${pathPrefix}${key} is not a known key (allowed: ${allowed.join(', ')})`);
    }
  }
}

function nonEmptyString(raw: unknown, path: string, fail: Fail): string {
  if (raw === undefined) fail(`${path} is required: a non-empty string`);
  if (typeof raw !== 'string' || raw.trim() === '') {
    fail(`${path} must be a non-empty string, got ${describe(raw)}`);
  }
  return raw;
}

function positiveInteger(raw: unknown, path: string, fail: Fail): number {
  if (raw === undefined) fail(`${path} is required: a positive integer`);
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw <= 0) {
    fail(`${path} must be a positive integer, got ${describe(raw)}`);
  }
  return raw;
}

function positiveNumber(raw: unknown, path: string, fail: Fail): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0) {
    fail(`${path} must be a positive number, got ${describe(raw)}`);
  }
  return raw;
}

/** A non-negative integer; omitted means 0. */
function optionalCount(raw: unknown, path: string, fail: Fail): number {
  if (raw === undefined) return 0;
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) {
    fail(`${path} must be a non-negative integer, got ${describe(raw)}`);
  }
  return raw;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, one-line rendering of a bad value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  return String(value);
}
