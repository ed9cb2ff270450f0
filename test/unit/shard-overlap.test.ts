import { describe, expect, it } from 'vitest';
import { shardsApartReason } from '../../src/domain/health.js';
import { mergeShardResults } from '../../src/results/merge.js';
import type { RunResults } from '../../src/domain/results.js';
import { buildResults } from '../helpers/results-fixture.js';

const START = Date.parse('2026-11-20T10:00:00Z');

/** Shard `index` of `count`, measured from `offsetMs` after START for `lengthMs`. */
function shard(index: number, count: number, offsetMs: number, lengthMs = 60_000): RunResults {
  const results = buildResults({ seed: index });
  return {
    ...results,
    config: { ...results.config, shard: { index, count } },
    summary: {
      ...results.summary,
      windowStartEpochMs: START + offsetMs,
      windowEndEpochMs: START + offsetMs + lengthMs,
      windowMs: lengthMs,
    },
  };
}

function merge(...shards: RunResults[]): RunResults {
  return mergeShardResults(
    shards.map((results, index) => ({ path: `shard-${index + 1}.json`, results })),
  );
}

describe('shard window overlap', () => {
  it('shards that ran together overlap almost fully and are judged', () => {
    const merged = merge(shard(1, 2, 0), shard(2, 2, 400));
    expect(merged.shards?.overlap).toBeCloseTo(59_600 / 60_400, 6);
    expect(shardsApartReason(merged)).toBeUndefined();
    expect(merged.warnings.map((warning) => warning.code)).not.toContain('shards-apart');
  });

  it('shards started 8 s apart on a 20 s plan are refused, naming the overlap and each start', () => {
    const merged = merge(shard(1, 2, 0, 20_000), shard(2, 2, 8_000, 20_000));
    expect(merged.shards?.overlap).toBeCloseTo(12 / 28, 6);
    const reason = shardsApartReason(merged);
    expect(reason).toBe(
      "the shards' measured windows overlapped only 43% (at least 90% needed): " +
        'shard 1/2 at 2026-11-20T10:00:00.000Z (+0.0 s), shard 2/2 at 2026-11-20T10:00:08.000Z (+8.0 s); ' +
        'give every shard the same start-at so they measure together',
    );
    expect(merged.warnings).toContainEqual({ code: 'shards-apart', message: reason });
  });

  it('windows that never met overlap 0%', () => {
    const merged = merge(
      shard(1, 3, 0, 5_000),
      shard(2, 3, 2_000, 5_000),
      shard(3, 3, 9_000, 5_000),
    );
    expect(merged.shards?.overlap).toBe(0);
    expect(shardsApartReason(merged)).toMatch(/overlapped only 0%/);
  });
});
