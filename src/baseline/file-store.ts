import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BaselineError } from '../errors.js';
import { writeJsonAtomic } from '../files.js';
import type { BenchmarkKey, RunResults } from '../results/types.js';
import { baselineFileName } from './key.js';
import { parseBaselineRecord, toBaselineRecord } from './record.js';
import type { BaselineStore, LoadedBaseline } from './store.js';

/** Baselines as versioned JSON files under `baseline-dir`, one per key, committed to the repo. */
export class FileBaselineStore implements BaselineStore {
  constructor(private readonly directory: string) {}

  pathFor(key: BenchmarkKey): string {
    return join(this.directory, baselineFileName(key));
  }

  async load(key: BenchmarkKey): Promise<LoadedBaseline | undefined> {
    const path = this.pathFor(key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new BaselineError(`baseline ${path} could not be read: ${(error as Error).message}`);
    }
    return { record: parseBaselineRecord(text, path, key), location: path };
  }

  async save(results: RunResults): Promise<string> {
    const path = this.pathFor(results.key);
    await writeJsonAtomic(path, toBaselineRecord(results));
    return path;
  }
}
