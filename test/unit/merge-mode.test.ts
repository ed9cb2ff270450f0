import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileBaselineStore } from '../../src/baseline/file-store.js';
import type { InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { run } from '../../src/run.js';
import { buildResults } from '../helpers/results-fixture.js';

/** A workspace holding one plan's single shard and a baseline for its key. */
async function workspaceWithShard(requestRate?: number): Promise<string> {
  const workspace = mkdtempSync(join(tmpdir(), 'lpg-merge-mode-'));
  const plan = requestRate === undefined ? {} : { requestRate };
  const shard = buildResults({ seed: 1, ...plan });
  shard.config.shard = { index: 1, count: 1 };
  mkdirSync(join(workspace, 'llm-perf-gate-shards'));
  writeFileSync(join(workspace, 'llm-perf-gate-shards', 'shard-1.json'), JSON.stringify(shard));
  await new FileBaselineStore(join(workspace, 'baselines')).save(
    buildResults({ seed: 2, ...plan }),
  );
  return workspace;
}

async function merge(workspace: string, inputs: Partial<Record<InputName, string>> = {}) {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const outcome = await run(
    parseConfig((name) => ({ mode: 'merge', 'fail-on-regression': 'false', ...inputs })[name]),
    { cwd: workspace, env: {}, event: {}, log, warn: log },
  );
  const gated = outcome.gate?.checks.filter((check) => check.threshold).map((c) => c.metric);
  return { outcome, lines, gated };
}

describe('mode merge', () => {
  it('gates open-loop shards on TTFT from schedule by default, as an unsharded run would', async () => {
    const { gated } = await merge(await workspaceWithShard(4));
    expect(gated).toContain('ttft_from_schedule.p95');
    expect(gated).not.toContain('ttft.p95');
  });

  it('gates closed-loop shards on TTFT, whatever request-rate the merge job is given', async () => {
    const { gated } = await merge(await workspaceWithShard(), { 'request-rate': '4' });
    expect(gated).toContain('ttft.p95');
    expect(gated).not.toContain('ttft_from_schedule.p95');
  });
});
