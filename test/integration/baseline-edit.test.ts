import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { LIGHT_CONCURRENCY, LIGHT_SERVER, TINY_MIX } from '../helpers/light-load.js';
import { makeWorkspace, pullRequestEvent, runAction } from '../helpers/run-action.js';

/**
 * A pull request that edits its own baseline file: the action names the edit at the top of the
 * comment and summary, and with baseline-ref it compares with the base branch's copy instead.
 */
const TOKEN = 'ghs_EDITTEST0123456789';
let simulator: Simulator;
let github: FakeGitHub;

beforeAll(async () => {
  // A light load (test/helpers/light-load.ts): this file is about the caution note, and its
  // runs must be trusted to get that far.
  simulator = await startSimulator({ ...LIGHT_SERVER, seed: 31 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await Promise.all([simulator.close(), github.close()]);
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    stdio: 'ignore',
  });
}

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    endpoint: simulator.url,
    model: 'sim-llama-8b',
    hardware: 'loopback',
    'prompt-mix': TINY_MIX,
    requests: '40',
    'warmup-requests': '4',
    concurrency: LIGHT_CONCURRENCY,
    'github-token': TOKEN,
    'accept-noisy-baseline': 'true',
    'on-low-sensitivity': 'pass',
    'fail-on-regression': 'false',
    ...overrides,
  };
}

describe('a pull request that edits its baseline', () => {
  it('is named at the top of the comment and summary; baseline-ref compares with the base', async () => {
    const workspace = makeWorkspace();
    git(workspace, 'init', '-q', '-b', 'main');
    const created = await runAction(inputs({ mode: 'update-baseline', 'baseline-trials': '1' }), {
      workspace,
    });
    expect(created.outputs.verdict, created.stdout).toBe('updated');
    git(workspace, 'add', 'baselines');
    git(workspace, 'commit', '-q', '-m', 'baseline');
    git(workspace, 'update-ref', 'refs/remotes/origin/main', 'HEAD');

    // Editing the figures by hand to make the bar three times as lenient on TTFT is refused
    // before anything is measured: they no longer agree with the histograms beside them.
    const [file] = readdirSync(join(workspace, 'baselines'));
    const path = join(workspace, 'baselines', file!);
    const committed = readFileSync(path, 'utf8');
    const record = JSON.parse(committed);
    record.results.summary.distributions.ttft.p95Ms *= 3;
    writeFileSync(path, JSON.stringify(record));
    const env = { GITHUB_BASE_REF: 'main', GITHUB_API_URL: github.url };
    const handEdited = await runAction(inputs(), { workspace, event: pullRequestEvent(7), env });
    expect(handEdited.exitCode, handEdited.stdout).toBe(2);
    expect(handEdited.stdout).toMatch(
      /::error::baseline \S+\.json: results\.summary\.distributions\.ttft\.p95Ms is [\d.]+ but its histogram says [\d.]+: the figures were edited or damaged; restore it from git or record it again \(mode update-baseline\)/,
    );
    expect(handEdited.stdout).not.toMatch(/^warm-up:/m);

    // The pull request commits a valid baseline of its own instead (here the same run, saved
    // on its own commit: any change to the file is what the check looks for).
    const own = JSON.parse(committed);
    own.results.provenance.commit = 'feedfacefeedfacefeedfacefeedfacefeedface';
    own.savedAt = new Date().toISOString();
    writeFileSync(path, JSON.stringify(own));

    const edited = await runAction(inputs(), { workspace, event: pullRequestEvent(7), env });
    expect(edited.exitCode, edited.stdout).toBe(0);
    const [comment] = github.comments(7);
    for (const text of [comment?.body ?? '', edited.summary]) {
      const blocks = text.split('\n\n');
      const caution = blocks.findIndex((block) => block.startsWith('> [!CAUTION]'));
      // Right under the headline and key lines, before the figures.
      expect(caution, text.slice(0, 400)).toBeGreaterThan(0);
      expect(caution).toBeLessThanOrEqual(3);
      expect(blocks[caution]).toMatch(
        /The baseline baselines\/\S+\.json differs from origin\/main's copy: this pull request is judged against numbers it changed itself/,
      );
    }

    const guarded = await runAction(inputs({ 'baseline-ref': 'origin/main' }), {
      workspace,
      event: pullRequestEvent(7),
      env,
    });
    expect(guarded.exitCode, guarded.stdout).toBe(0);
    expect(guarded.outputs['baseline-path']).toBe(`origin/main:${path}`);
    expect(guarded.summary).not.toContain('[!CAUTION]');
    expect(github.comments(7)[0]?.body).not.toContain('[!CAUTION]');
  });
});
