import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { LIGHT_CONCURRENCY, LIGHT_SERVER, TINY_MIX } from '../helpers/light-load.js';
import { makeWorkspace, runAction } from '../helpers/run-action.js';

/**
 * The fork pattern as the two example workflows write it: the untrusted PR workflow measures and
 * uploads results with the PR number; the workflow_run workflow downloads them, reads the
 * number and comments through a fake GitHub. Each step's inputs come from the example files.
 */
const TOKEN = 'ghs_FORKTOKEN0123456789';
const MEASURED_SHA = '0123456789abcdef0123456789abcdef01234567';
const PR = 21;

type Step = { uses?: string; run?: string; with?: Record<string, string> };

function actionStep(file: string): Record<string, string> {
  const workflow = parse(readFileSync(`examples/${file}`, 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const ours = steps.find((step) => step.uses?.includes('llm-perf-gate'));
  return { ...ours?.with };
}

let simulator: Simulator;
let github: FakeGitHub;

beforeAll(async () => {
  // It serves the example's model: the run checks that the endpoint serves what it measures.
  // A light load (test/helpers/light-load.ts): the trusted half judges what was measured.
  const model = actionStep('fork-pr-measure.yml').model;
  simulator = await startSimulator({ ...LIGHT_SERVER, seed: 5, model });
  github = await startFakeGitHub({
    pullRequests: { [PR]: { headSha: MEASURED_SHA }, 22: { headSha: 'f'.repeat(40) } },
  });
});

afterAll(async () => {
  await Promise.all([simulator.close(), github.close()]);
});

/** The untrusted half: measure, then write the PR number beside the results (as its run step). */
async function measureForkPullRequest(): Promise<string> {
  const workspace = makeWorkspace();
  const inputs = actionStep('fork-pr-measure.yml');
  const result = await runAction(
    {
      ...inputs,
      endpoint: simulator.url,
      'prompt-mix': TINY_MIX,
      requests: '40',
      'warmup-requests': '4',
      concurrency: LIGHT_CONCURRENCY,
    },
    {
      workspace,
      event: { name: 'pull_request', payload: { pull_request: { number: PR } } },
      env: { GITHUB_SHA: MEASURED_SHA },
    },
  );
  expect(result.outputs.verdict, result.stdout + result.stderr).toBe('pass');
  expect(result.exitCode).toBe(0);
  const folder = join(workspace, (inputs['results-path'] ?? '').split('/')[0] ?? '');
  writeFileSync(join(folder, 'pr-number'), `${PR}\n`);
  return folder;
}

/** The trusted half: download the artifact, read the number (digits only), run the action. */
async function commentFromArtifact(artifact: string, prNumberFile?: string) {
  const workspace = makeWorkspace();
  const inputs = actionStep('fork-pr.yml');
  const downloaded = join(workspace, 'llm-perf-gate-shards');
  mkdirSync(downloaded, { recursive: true });
  cpSync(artifact, downloaded, { recursive: true });
  if (prNumberFile !== undefined) writeFileSync(join(downloaded, 'pr-number'), prNumberFile);
  const number = readFileSync(join(downloaded, 'pr-number'), 'utf8').replace(/[^0-9]/g, '');
  return runAction(
    { ...inputs, 'pr-number': number, 'github-token': TOKEN },
    {
      workspace,
      event: {
        name: 'workflow_run',
        payload: {
          workflow_run: {
            event: 'pull_request',
            head_sha: MEASURED_SHA,
            conclusion: 'success',
            pull_requests: [],
          },
        },
      },
      env: { GITHUB_API_URL: github.url, GITHUB_SHA: 'b'.repeat(40) },
    },
  );
}

describe('examples/fork-pr.yml', () => {
  let artifact: string;
  beforeAll(async () => {
    artifact = await measureForkPullRequest();
  });

  it('finds the fork PR from the artifact and keeps one comment on it across runs', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await commentFromArtifact(artifact);
      expect(result.outputs.verdict, result.stdout).toBe('no-baseline');
      expect(result.outputs['comment-url']).toMatch(new RegExp(`/pull/${PR}#issuecomment-`));
      expect(result.stdout).not.toContain(TOKEN);
    }
    const comments = github.comments(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('TTFT p95');
  });

  it('does not comment on a PR the artifact names falsely', async () => {
    const result = await commentFromArtifact(artifact, '22');
    expect(result.outputs['comment-url']).toBe('');
    expect(result.stdout).toMatch(/::warning::comment not written: pr-number 22: /);
    expect(github.comments(22)).toHaveLength(0);
  });
});
