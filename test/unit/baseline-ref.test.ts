import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baselineEditWarnings } from '../../src/baseline/edited.js';
import { FileBaselineStore } from '../../src/baseline/file-store.js';
import type { RunConfig } from '../../src/domain/config.js';
import { BaselineError } from '../../src/errors.js';
import { renderReport } from '../../src/report/markdown.js';
import type { RunResults } from '../../src/domain/results.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { buildResults } from '../helpers/results-fixture.js';

const folders: string[] = [];
afterEach(() => {
  for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    stdio: 'ignore',
  });
}

/** A repository whose `main` (also as origin/main) holds a baseline; returns it and its store. */
async function repositoryWithBaseline(): Promise<{
  root: string;
  store: FileBaselineStore;
  results: RunResults;
  path: string;
}> {
  const root = mkdtempSync(join(tmpdir(), 'lpg-ref-'));
  folders.push(root);
  git(root, 'init', '-q', '-b', 'main');
  const results = buildResults();
  const store = new FileBaselineStore(join(root, 'baselines'), { historyLength: 5, cwd: root });
  const path = await store.save(results);
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'baseline');
  git(root, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  return { root, store, results, path };
}

/**
 * The pull request lowers its own bar: its copy of the baseline is a run with twice the TTFT.
 * Returns that copy's TTFT p95.
 */
async function editBaseline(store: FileBaselineStore): Promise<number> {
  const slower = buildResults({ ttftMedianMs: 400 });
  await store.save(slower);
  return slower.summary.distributions.ttft.p95Ms;
}

const config = (overrides: Partial<RunConfig> = {}) =>
  ({ baselineSource: 'files', ...overrides }) as RunConfig;

describe('baseline-ref', () => {
  it('reads the baseline from the ref, not from the edited working tree', async () => {
    const { root, store, results, path } = await repositoryWithBaseline();
    const editedP95Ms = await editBaseline(store);
    const working = await store.load(results.key);
    const fromRef = await new FileBaselineStore(join(root, 'baselines'), {
      historyLength: 5,
      cwd: root,
      ref: 'origin/main',
    }).load(results.key);
    expect(working?.record.results.summary.distributions.ttft.p95Ms).toBe(editedP95Ms);
    expect(editedP95Ms).toBeGreaterThan(results.summary.distributions.ttft.p95Ms * 1.5);
    expect(fromRef?.record.results.summary.distributions.ttft.p95Ms).toBe(
      results.summary.distributions.ttft.p95Ms,
    );
    expect(fromRef?.location).toBe(`origin/main:${path}`);
  });

  it('a key with no file at the ref is no baseline; a missing ref is a one-line error', async () => {
    const { root, results } = await repositoryWithBaseline();
    const at = (ref: string) =>
      new FileBaselineStore(join(root, 'baselines'), { historyLength: 5, cwd: root, ref });
    expect(await at('origin/main').load({ ...results.key, hardware: 'other' })).toBeUndefined();
    const missing = at('origin/release').load(results.key);
    await expect(missing).rejects.toThrow(BaselineError);
    await expect(at('origin/release').load(results.key)).rejects.toThrow(
      /^baseline-ref origin\/release is not a commit in this checkout: fetch it first \(actions\/checkout with fetch-depth: 0, or git fetch origin <branch>\)$/,
    );
  });
});

describe('a pull request that edits its own baseline', () => {
  // Outside Actions: no event, and nothing to log.
  const quiet = { event: {}, log: () => {} };

  it('is named with git when the base branch is fetched', async () => {
    const { root, store, results } = await repositoryWithBaseline();
    const loaded = await store.load(results.key);
    const env = { GITHUB_BASE_REF: 'main' };
    expect(await baselineEditWarnings(config(), { cwd: root, env, ...quiet }, loaded)).toEqual([]);

    await editBaseline(store);
    const warnings = await baselineEditWarnings(config(), { cwd: root, env, ...quiet }, loaded);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.code).toBe('baseline-edited');
    expect(warnings[0]?.message).toMatch(
      /^The baseline baselines\/\S+\.json differs from origin\/main's copy: this pull request is judged against numbers it changed itself\./,
    );
    // With baseline-ref the edit does not matter: the ref's copy is what is compared with.
    expect(
      await baselineEditWarnings(
        config({ baselineRef: 'origin/main' }),
        { cwd: root, env, ...quiet },
        loaded,
      ),
    ).toEqual([]);
  });

  it('names a baseline the pull request adds', async () => {
    const { root, results } = await repositoryWithBaseline();
    const other = { ...results, key: { ...results.key, hardware: 'a100x1' } };
    const store = new FileBaselineStore(join(root, 'baselines'), { historyLength: 5, cwd: root });
    await store.save(other);
    const loaded = await store.load(other.key);
    const warnings = await baselineEditWarnings(
      config(),
      { cwd: root, env: { GITHUB_BASE_REF: 'main' }, ...quiet },
      loaded,
    );
    expect(warnings[0]?.message).toMatch(/is not on origin\/main: this pull request adds it/);
  });

  describe('without history in the checkout: the pull request files API', () => {
    let github: FakeGitHub;
    beforeAll(async () => {
      github = await startFakeGitHub({
        pullFiles: {
          7: [
            ...Array.from({ length: 130 }, (_, i) => ({
              filename: `src/f${i}.ts`,
              status: 'modified',
            })),
            { filename: 'perf/baselines/model__hw.json', status: 'modified' },
          ],
          8: [{ filename: 'README.md', status: 'modified' }],
        },
      });
    });
    afterAll(() => github.close());

    async function check(pullNumber: number): Promise<string[]> {
      const workspace = mkdtempSync(join(tmpdir(), 'lpg-nogit-'));
      folders.push(workspace);
      mkdirSync(join(workspace, 'perf', 'baselines'), { recursive: true });
      const env = {
        GITHUB_BASE_REF: 'main',
        GITHUB_REPOSITORY: 'owner/repo',
        GITHUB_API_URL: github.url,
        GITHUB_WORKSPACE: workspace,
      };
      const loaded = {
        location: join(workspace, 'perf', 'baselines', 'model__hw.json'),
      } as Parameters<typeof baselineEditWarnings>[2];
      const warnings = await baselineEditWarnings(
        config({ githubToken: 'ghs_fake_token' }),
        { cwd: workspace, env, ...quiet, event: { pullRequest: { number: pullNumber } } },
        loaded,
      );
      return warnings.map((warning) => warning.message);
    }

    it('names a baseline the pull request modified, across pages of files', async () => {
      const [message] = await check(7);
      expect(message).toMatch(
        /^The baseline perf\/baselines\/model__hw\.json was modified by this pull request/,
      );
      expect(github.requests.some((request) => request.path.includes('page=2'))).toBe(true);
    });

    it('says nothing when the pull request left it alone', async () => {
      expect(await check(8)).toEqual([]);
    });
  });
});

describe('the report', () => {
  it('says so right under the headline, before the figures', () => {
    const current = buildResults({ seed: 2 });
    current.warnings.push({
      code: 'baseline-edited',
      message: "The baseline baselines/x.json differs from origin/main's copy: …",
    });
    const markdown = renderReport({ mode: 'gate', verdict: 'pass', current });
    const blocks = markdown.split('\n\n');
    expect(blocks[0]).toMatch(/^### /);
    expect(blocks[2]).toMatch(
      /^> \[!CAUTION\]\n> - The baseline baselines\/x\.json differs from origin\/main/,
    );
    expect(markdown.match(/differs from origin\/main/g)).toHaveLength(1);
  });
});
