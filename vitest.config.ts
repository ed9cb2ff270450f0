import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three lanes (README, Development):
 * - unit: pure code and in-process servers, files side by side;
 * - integration: end-to-end runs of dist/ whose assertions do not depend on how fast anything
 *   ran, side by side with the unit files;
 * - timing: files that judge measured latency or throughput (A/A gates, knees, agreement with
 *   the server's clock). They run one at a time and only after the other lanes are done, so no
 *   file of ours measures another. A new integration file lands here unless it is listed above.
 * The soak is not part of `npm test`: it is `npm run bench:soak`.
 */
const PARALLEL_INTEGRATION = [
  'test/integration/cli.test.ts',
  'test/integration/secrets.test.ts',
  'test/integration/shards.test.ts',
  'test/integration/run-health.test.ts',
  'test/integration/cancel.test.ts',
  'test/integration/baseline-edit.test.ts',
  'test/integration/fork-pr.test.ts',
  'test/integration/readiness.test.ts',
  'test/integration/stream-flavors.test.ts',
  'test/integration/client-connections.test.ts',
  'test/integration/client-tokens.test.ts',
  'test/integration/client-faults.test.ts',
  // Verdicts on effects many times their thresholds, a saturated client the one alternative:
  'test/integration/action.test.ts',
  'test/integration/cache-baseline.test.ts',
  'test/integration/baseline-admission.test.ts',
  // Windows that start-at aligns (or 1.5 s apart without it), the merge gate on tokens/s -50%:
  'test/integration/shard-start.test.ts',
];
/** Integration tests run dist/: rebuild it first when src/ is newer. */
const BUILD_DIST = ['test/build-dist.ts'];

const shared = {
  testTimeout: 120_000,
  hookTimeout: 60_000,
};
/**
 * Files side by side in the unit and integration lanes (both projects of group 0 must name the
 * same number). Vitest's default is one worker fewer than the cores: on a 2-core machine one, so
 * the lanes ran one file at a time. Twice the cores, because an integration file mostly waits
 * (for simulated tokens, child processes, start times) and the unit files fill the gaps.
 */
const SIDE_BY_SIDE = 2 * Math.max(2, availableParallelism());

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure code: threads that keep the modules they imported between files start faster
          // than a fresh process per file (none of these files mocks or patches a module).
          pool: 'threads',
          isolate: false,
          maxWorkers: SIDE_BY_SIDE,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'integration',
          include: PARALLEL_INTEGRATION,
          globalSetup: BUILD_DIST,
          pool: 'forks',
          // A worker keeps what it imported (run.ts pulls in most of src/) for its next file;
          // nothing here patches a module or leaves process state behind.
          isolate: false,
          maxWorkers: SIDE_BY_SIDE,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'timing',
          include: ['test/integration/**/*.test.ts'],
          exclude: PARALLEL_INTEGRATION,
          globalSetup: BUILD_DIST,
          pool: 'forks',
          isolate: false,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
