import { ResultsError } from '../errors.js';
import { readJsonFile } from '../json-file.js';
import { BASELINE_SCHEMA, RESULTS_SCHEMA, type RunResults } from '../domain/results.js';
import { checkRunResults } from './validate.js';

/** Reads a results file, or a baseline file (which wraps one). */
export async function readResultsFile(path: string): Promise<RunResults> {
  const parsed = await readJsonFile(path, 'results file', (message) => new ResultsError(message));
  const candidate =
    parsed &&
    typeof parsed === 'object' &&
    (parsed as { schema?: unknown }).schema === BASELINE_SCHEMA
      ? (parsed as { results?: unknown }).results
      : parsed;
  if ((candidate as { schema?: unknown } | null)?.schema !== RESULTS_SCHEMA) {
    throw new ResultsError(`results file ${path} is not an ${RESULTS_SCHEMA} file`);
  }
  return checkRunResults(candidate, `results file ${path}`, (message) => new ResultsError(message));
}
