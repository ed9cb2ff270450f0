import type { BenchmarkKey, RunResults } from '../domain/results.js';
import type { BaselineRecord } from '../domain/results.js';

export interface LoadedBaseline {
  record: BaselineRecord;
  /** Where it came from: a file path or a cache key. */
  location: string;
}

/** Where baselines live. Files and the Actions cache are two implementations. */
export interface BaselineStore {
  /** Undefined when there is no baseline for the key (a miss is information, not a failure). */
  load(key: BenchmarkKey): Promise<LoadedBaseline | undefined>;
  /** Saves the run as the key's baseline; returns where. */
  save(results: RunResults): Promise<string>;
}
