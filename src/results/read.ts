import { readFile } from 'node:fs/promises';
import { ResultsError } from '../errors.js';
import { BASELINE_SCHEMA } from '../baseline/record.js';
import { RESULTS_SCHEMA, type RunResults } from './types.js';

/** Reads a results file, or a baseline file (which wraps one). */
export async function readResultsFile(path: string): Promise<RunResults> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ResultsError(
      `results file ${path} could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ResultsError(`results file ${path} is not valid JSON (${(error as Error).message})`);
  }
  const candidate =
    parsed &&
    typeof parsed === 'object' &&
    (parsed as { schema?: unknown }).schema === BASELINE_SCHEMA
      ? (parsed as { results?: unknown }).results
      : parsed;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    (candidate as { schema?: unknown }).schema !== RESULTS_SCHEMA
  ) {
    throw new ResultsError(`results file ${path} is not an ${RESULTS_SCHEMA} file`);
  }
  return candidate as RunResults;
}
