import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files never run before go first, as Vitest's own order does. */
const UNKNOWN = Number.MAX_SAFE_INTEGER;

/**
 * Vitest's own order runs a group's projects one after another, so in group 0 the unit files
 * waited for the integration files. This one orders a group's files longest first, whatever
 * their project: the CPU-bound unit files then fill the time integration files spend waiting.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const duration = (file: TestSpecification) => {
      const key = `${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`;
      return this.ctx.cache.getFileTestResults(key)?.duration ?? UNKNOWN;
    };
    return [...files].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        duration(b) - duration(a),
    );
  }
}
