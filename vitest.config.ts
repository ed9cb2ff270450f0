import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/longest-first.js';

/**
 * Three lanes (README, Development):
 * - unit: pure code and in-process servers, files side by side;
 * - integration: end-to-end runs of dist/ whose assertions do not depend on the load generator's
 *   self-check (what was written, counts, exit codes, cancellation), side by side with the unit
 *   files;
 * - measured: end-to-end runs judged by the gate, whose verdicts need a client that was not the
 *   bottleneck. Their loads are light (test/helpers/light-load.ts), so they wait side by side;
 *   they start once the other lanes are done, so no CPU-bound unit file delays their timers. A
 *   new integration file lands here unless it is listed below.
 * The soak is not part of `npm test`: it is `npm run bench:soak`.
 */
const INTEGRATION = [
  'test/integration/cli.test.ts',
  'test/integration/secrets.test.ts',
  'test/integration/shards.test.ts',
  'test/integration/cancel.test.ts',
  'test/integration/readiness.test.ts',
  'test/integration/stream-flavors.test.ts',
  'test/integration/client-connections.test.ts',
  'test/integration/client-tokens.test.ts',
  'test/integration/client-faults.test.ts',
];
/** Integration tests run dist/: rebuild it first when src/ is newer. */
const BUILD_DIST = ['test/build-dist.ts'];

const shared = {
  testTimeout: 120_000,
  hookTimeout: 60_000,
};
/**
 * Files side by side in a lane (both projects of group 0 must name the same number). Vitest's
 * default is one worker fewer than the cores: on a 2-core machine one, so the lanes ran one file
 * at a time. Twice the cores, because an integration file mostly waits (for simulated tokens,
 * child processes, start times) and the unit files fill the gaps.
 */
const SIDE_BY_SIDE = 2 * Math.max(2, availableParallelism());

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure code: workers that keep the modules they imported between files start faster
          // than a fresh process per file (none of these files mocks or patches a module). Forks,
          // like the integration lane: one pool for the group, ordered by LongestFirst.
          pool: 'forks',
          isolate: false,
          maxWorkers: SIDE_BY_SIDE,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'integration',
          include: INTEGRATION,
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
          name: 'measured',
          include: ['test/integration/**/*.test.ts'],
          exclude: INTEGRATION,
          globalSetup: BUILD_DIST,
          pool: 'forks',
          isolate: false,
          maxWorkers: SIDE_BY_SIDE,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
