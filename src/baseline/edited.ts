import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { RunConfig } from '../domain/config.js';
import { errorMessage } from '../errors.js';
import type { ActionsEvent } from '../github/context.js';
import type { Warning } from '../domain/results.js';
import { readAtRef, refExists, repositoryPath } from './git.js';
import type { LoadedBaseline } from './store.js';

/**
 * In files mode a pull request's checkout holds its own baselines: a PR that edits one is judged
 * against its own numbers. Unless baselines come from `baseline-ref`, compare the file used with
 * the base branch's copy and say so at the top of the report when they differ. Never fails the
 * run: a check that cannot be made is logged.
 */
export interface EditCheckContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  event: ActionsEvent;
  log: (line: string) => void;
}

/** Pull request file states that mean the file is not the base branch's copy. */
const CHANGED = new Set(['added', 'modified', 'renamed', 'changed', 'copied']);

export async function baselineEditWarnings(
  config: RunConfig,
  context: EditCheckContext,
  loaded: LoadedBaseline | undefined,
): Promise<Warning[]> {
  const baseBranch = context.env.GITHUB_BASE_REF;
  if (!loaded || !baseBranch || config.baselineSource !== 'files' || config.baselineRef) return [];
  const path = loaded.location;
  const shown = relative(context.cwd, path) || path;
  const base = `origin/${baseBranch}`;
  let how: string | undefined;
  try {
    if (await refExists(context.cwd, base)) {
      const before = await readAtRef(context.cwd, base, path);
      const now = await readFile(path, 'utf8');
      if (before === now) return [];
      how =
        before === undefined
          ? `is not on ${base}: this pull request adds it`
          : `differs from ${base}'s copy`;
    } else {
      how = await changedInPullRequest(config, context, path);
    }
  } catch (error) {
    context.log(`baseline edit check skipped: ${errorMessage(error)}`);
    return [];
  }
  if (!how) return [];
  return [
    {
      code: 'baseline-edited',
      message: `The baseline ${shown} ${how}: this pull request is judged against numbers it changed itself. Review the baseline change, or set baseline-ref: ${base} to judge against the base branch's baselines.`,
    },
  ];
}

/** Asks the pull request files API (no history in the checkout); undefined when unchanged. */
async function changedInPullRequest(
  config: RunConfig,
  context: EditCheckContext,
  path: string,
): Promise<string | undefined> {
  const { env } = context;
  const { pullRequest } = context.event;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!pullRequest || !owner || !repo || !config.githubToken) {
    context.log(
      `baseline edit check skipped: origin/${env.GITHUB_BASE_REF} is not fetched and the pull request files API needs the event, GITHUB_REPOSITORY and a github-token`,
    );
    return undefined;
  }
  const inRepository =
    (await repositoryPath(context.cwd, path)) ??
    relative(env.GITHUB_WORKSPACE ?? context.cwd, path)
      .split('\\')
      .join('/');
  // Only a pull request that edits a baseline needs Octokit: it stays out of every start.
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(config.githubToken, {
    baseUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
  });
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner,
    repo,
    pull_number: pullRequest.number,
    per_page: 100,
  });
  const file = files.find((entry) => entry.filename === inRepository);
  if (!file || !CHANGED.has(file.status)) return undefined;
  return file.status === 'added'
    ? 'was added by this pull request'
    : `was ${file.status} by this pull request`;
}
