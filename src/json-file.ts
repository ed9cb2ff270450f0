import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * The caller's error for a one-line message: its class says whose problem it is (ResultsError,
 * BaselineError, InputError …), and it may append a fix hint.
 */
export type ErrorOf = (message: string) => Error;

/**
 * JSON text from a file, git, the cache or an input, with one wording for every source:
 * `<subject> is not valid JSON (…)`, where the subject says what and where (`baseline
 * origin/main:baselines/x.json`, `extra-body`).
 */
export function parseJsonText(text: string, subject: string, errorOf: ErrorOf): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = /at position (\d+)/.exec((error as Error).message)?.[1];
    // V8 gives a character offset; on more than one line, users want the line.
    const where =
      offset !== undefined && text.includes('\n')
        ? ` at ${lineAndColumn(text, Number(offset))}`
        : '';
    throw errorOf(`${subject} is not valid JSON${where} (${syntaxError(error)})`);
  }
}

/**
 * A text file, without a byte-order mark: `<subject> could not be read: ENOENT` when it cannot
 * be, or `missing` (the caller's hint) when it does not exist.
 */
export async function readTextFile(
  path: string,
  subject: string,
  errorOf: ErrorOf,
  missing?: string,
): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw errorOf(code === 'ENOENT' && missing ? missing : unreadable(subject, error));
  }
}

/** A JSON file: `<what> <path> could not be read: ENOENT`, or not valid JSON as above. */
export async function readJsonFile(path: string, what: string, errorOf: ErrorOf): Promise<unknown> {
  const subject = `${what} ${path}`;
  return parseJsonText(await readTextFile(path, subject, errorOf), subject, errorOf);
}

/** readJsonFile for callers that cannot wait (a client's constructor, the event at start-up). */
export function readJsonFileSync(path: string, what: string, errorOf: ErrorOf): unknown {
  const subject = `${what} ${path}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw errorOf(unreadable(subject, error));
  }
  return parseJsonText(text, subject, errorOf);
}

/** `<subject> could not be read: EACCES`: the code says it all; the rest repeats the path. */
export function unreadable(subject: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return `${subject} could not be read: ${code ?? (error as Error).message}`;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * V8's reason without the excerpt of the text it quotes (`Unexpected token 'B', ..."ization":
 * Bearer sk-"... is not valid JSON`): the text may be a header holding a credential.
 */
function syntaxError(error: unknown): string {
  const { message } = error as Error;
  const quoting = /^(?:(.*?), )?(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  const reason = quoting ? (quoting[1] ?? 'not a JSON value') : message;
  return (reason.replace(/ in JSON at position \d+.*$/s, '').split('\n')[0] ?? '').trim();
}
