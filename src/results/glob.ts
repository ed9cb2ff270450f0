import * as glob from '@actions/glob';
import { ResultsError } from '../errors.js';
import { mergeShardResults } from './merge.js';
import { readResultsFile } from './read.js';
import type { RunResults } from '../domain/results.js';

/** Reads every results file the glob matches and merges them as shards of one plan. */
export async function mergeResultsGlob(pattern: string): Promise<RunResults> {
  const globber = await glob.create(pattern, { matchDirectories: false });
  const paths = (await globber.glob()).sort();
  if (paths.length === 0) {
    throw new ResultsError(`results-glob ${pattern} matched no results files`);
  }
  const parts = [];
  for (const path of paths) parts.push({ path, results: await readResultsFile(path) });
  return mergeShardResults(parts);
}
