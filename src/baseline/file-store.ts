import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BaselineError } from '../errors.js';
import { writeJsonAtomic } from '../files.js';
import { unreadable } from '../json-file.js';
import type { BenchmarkKey, RunResults } from '../domain/results.js';
import { readAtRef, refExists } from './git.js';
import { nextHistory } from './history.js';
import { baselineFileName } from '../domain/key.js';
import { parseBaselineRecord, toBaselineRecord } from './record.js';
import type { BaselineStore, LoadedBaseline } from './store.js';

export interface FileStoreOptions {
  /** Accepted runs kept per key. */
  historyLength: number;
  /**
   * Read baselines from this git ref (e.g. origin/main) instead of the working tree, so a pull
   * request cannot lower its own bar by editing the file. Writes still go to the working tree.
   */
  ref?: string;
  /** Where git runs (the workspace). */
  cwd: string;
}

/** Baselines as versioned JSON files under `baseline-dir`, one per key, committed to the repo. */
export class FileBaselineStore implements BaselineStore {
  constructor(
    private readonly directory: string,
    private readonly options: FileStoreOptions = { historyLength: 5, cwd: process.cwd() },
  ) {}

  pathFor(key: BenchmarkKey): string {
    return join(this.directory, baselineFileName(key));
  }

  async load(key: BenchmarkKey): Promise<LoadedBaseline | undefined> {
    const path = this.pathFor(key);
    const { ref } = this.options;
    if (ref !== undefined) {
      const text = await this.readFromRef(ref, path);
      if (text === undefined) return undefined;
      const location = `${ref}:${path}`;
      return { record: await parseBaselineRecord(text, location, key), location };
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new BaselineError(unreadable(`baseline ${path}`, error));
    }
    return { record: await parseBaselineRecord(text, path, key), location: path };
  }

  async save(results: RunResults): Promise<string> {
    const path = this.pathFor(results.key);
    // A previous file that cannot be read is what update-baseline replaces: history starts anew.
    const previous = await this.load(results.key).catch((error: unknown) => {
      if (error instanceof BaselineError) return undefined;
      throw error;
    });
    const history = nextHistory(previous?.record.results, results, this.options.historyLength);
    await writeJsonAtomic(path, toBaselineRecord(results, history));
    return path;
  }

  private async readFromRef(ref: string, path: string): Promise<string | undefined> {
    if (!(await refExists(this.options.cwd, ref))) {
      throw new BaselineError(
        `baseline-ref ${ref} is not a commit in this checkout: fetch it first (actions/checkout with fetch-depth: 0, or git fetch origin <branch>)`,
      );
    }
    return readAtRef(this.options.cwd, ref, path);
  }
}
