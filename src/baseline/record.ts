import { BaselineError } from '../errors.js';
import { parseJsonText } from '../json-file.js';
import { checkRunResults } from '../results/validate.js';
import {
  BASELINE_SCHEMA,
  type BaselineRecord,
  type BenchmarkKey,
  type HistoryRun,
  type RunResults,
} from '../domain/results.js';

import { keyDifferences, sameKey } from '../domain/key.js';

/** The record of a new baseline; `history` is the key's accepted runs, this one last. */
export function toBaselineRecord(results: RunResults, history: HistoryRun[]): BaselineRecord {
  return {
    schema: BASELINE_SCHEMA,
    key: results.key,
    savedAt: new Date().toISOString(),
    results: { ...results, history },
  };
}

/**
 * Parses and checks a baseline file's text. Anything unexpected is a clear error, never a
 * silent pass: a gate that cannot read its baseline must not say the build is fine.
 */
export async function parseBaselineRecord(
  text: string,
  location: string,
  expectedKey: BenchmarkKey,
): Promise<BaselineRecord> {
  const parsed = parseJsonText(
    text,
    `baseline ${location}`,
    (message) => new BaselineError(`${message}; fix or delete it`),
  );
  if (!isObject(parsed)) {
    throw new BaselineError(`baseline ${location} is not a JSON object; fix or delete it`);
  }
  if (parsed.schema !== BASELINE_SCHEMA) {
    throw new BaselineError(
      `baseline ${location} has schema ${JSON.stringify(parsed.schema)}; this version reads ${BASELINE_SCHEMA}`,
    );
  }
  const results = await checkRunResults(
    parsed.results,
    `baseline ${location}`,
    (message) =>
      new BaselineError(
        `${message}; restore it from git or record it again (mode update-baseline)`,
      ),
    'results',
  );
  const record = { ...(parsed as unknown as BaselineRecord), results };
  if (!isObject(record.key) || !sameKey(record.key, expectedKey)) {
    const differences = isObject(record.key) ? keyDifferences(expectedKey, record.key) : ['no key'];
    throw new BaselineError(
      `baseline ${location} belongs to another key: ${differences.join(', ')}`,
    );
  }
  return record;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
