import path from 'node:path';
import { MixError } from '../errors.js';
import { parseJsonText, readTextFile } from '../json-file.js';
import { BUILTIN_MIX_NAMES, builtinMix } from './builtin-mixes.js';
import { mixFingerprint } from './fingerprint.js';
import { parseMixDocument, type ClassDraft, type Fail } from './mix-schema.js';
import { readPromptsFile } from './prompts-file.js';
import type { Mix, MixClass } from './types.js';

/**
 * Loads a prompt mix: a built-in name (`short-chat`, `long-context`, `mixed`) or the path of a
 * YAML (.yaml/.yml) or JSON (.json) mix file relative to `baseDir`. Every problem is a one-line
 * MixError naming the file and the field path. Prompts from `prompts_file`s are read into the
 * mix, so the fingerprint covers their content, not their path.
 */
export async function loadMix(spec: string, options: { baseDir: string }): Promise<Mix> {
  const builtin = builtinMix(spec);
  if (builtin) return builtin;

  const filePath = path.resolve(options.baseDir, spec);
  const fail: Fail = (message) => {
    throw new MixError(`prompt-mix ${spec}: ${message}`);
  };
  const text = await readTextFile(
    filePath,
    `prompt-mix ${spec}`,
    (message) => new MixError(message),
    `prompt-mix: file not found: ${spec} (and not a built-in mix: ${BUILTIN_MIX_NAMES.join(', ')})`,
  );
  const extension = path.extname(filePath).toLowerCase();
  const draft = parseMixDocument(await parseMixText(text, extension, spec, fail), fail);

  const classes: MixClass[] = [];
  // One class at a time, so the error reported for a broken mix does not depend on timing.
  for (const [i, draftClass] of draft.classes.entries()) {
    classes.push(await withPrompts(draftClass, `classes[${i}].prompts_file`, spec, filePath, fail));
  }
  return {
    name: draft.name ?? path.basename(filePath, path.extname(filePath)),
    source: spec,
    classes,
    fingerprint: mixFingerprint(classes),
  };
}

async function parseMixText(
  text: string,
  extension: string,
  spec: string,
  fail: Fail,
): Promise<unknown> {
  if (extension === '.json') {
    return parseJsonText(text, `prompt-mix ${spec}`, (message) => new MixError(message));
  }
  if (extension === '.yaml' || extension === '.yml') return parseYaml(text, fail);
  fail(`unsupported file type "${extension}" (expected .yaml, .yml or .json)`);
}

async function parseYaml(text: string, fail: Fail): Promise<unknown> {
  // Only a YAML mix file needs the parser: built-in mixes and JSON start without it.
  const { parseDocument } = await import('yaml');
  const document = parseDocument(text);
  const error = document.errors[0];
  if (error) {
    // The yaml package's message ends with the position and a multi-line excerpt: keep one line.
    const reason = error.message
      .replace(/ at line \d+, column \d+[\s\S]*$/, '')
      .replace(/; please use YAML\.parseAllDocuments\(\)/, '');
    const position = error.linePos?.[0];
    fail(
      `invalid YAML${position ? ` at line ${position.line}, column ${position.col}` : ''}: ${reason}`,
    );
  }
  return document.toJS();
}

/** Reads a class's prompts_file (relative to the mix file) into its prompts. */
async function withPrompts(
  draft: ClassDraft,
  fieldPath: string,
  spec: string,
  mixPath: string,
  fail: Fail,
): Promise<MixClass> {
  const { promptsFile, ...mixClass } = draft;
  if (!promptsFile) return mixClass;
  const shownPath = path.isAbsolute(promptsFile.path)
    ? promptsFile.path
    : path.join(path.dirname(spec), promptsFile.path);
  const prompts = await readPromptsFile(
    path.resolve(path.dirname(mixPath), promptsFile.path),
    promptsFile.limit,
    (message) => fail(`${fieldPath} ${shownPath}: ${message}`),
  );
  return { ...mixClass, prompts };
}
