import type { CommentPolicy } from '../domain/config.js';
import { errorMessage } from '../errors.js';
import type { Verdict } from '../domain/judgement.js';
import { redactSecrets } from '../secrets.js';
import { CommentPermissionError, commentMarker, upsertStickyComment } from './comment.js';
import type { ActionsEvent } from './context.js';
import { pullRequestMismatch } from './pull-request.js';

export interface PublishOptions {
  policy: CommentPolicy;
  verdict: Verdict;
  body: string;
  /** Text that identifies the benchmark key: matrix jobs each keep their own comment. */
  keyText: string;
  token?: string;
  /** The `pr-number` input: the PR to comment on when the event does not name one. */
  prNumber?: number;
  event: ActionsEvent;
  env: NodeJS.ProcessEnv;
  secrets: readonly string[];
  log: (line: string) => void;
  warn: (line: string) => void;
  /** The length of one second of GitHub backoff, in ms (tests shrink it). */
  retryUnitMs?: number;
}

/**
 * Writes (or updates) the sticky PR comment when there is a pull request to write on and the
 * policy asks for it. Never throws: a comment that cannot be written is a warning, and the
 * summary, outputs and verdict stand on their own.
 */
export async function publishComment(options: PublishOptions): Promise<string | undefined> {
  const { env } = options;
  if (options.policy === 'never') return undefined;
  if (
    options.policy === 'on-regression' &&
    options.verdict !== 'regression' &&
    options.verdict !== 'inconclusive'
  ) {
    return undefined;
  }
  const issueNumber = options.prNumber ?? options.event.pullRequest?.number;
  if (issueNumber === undefined) {
    options.log(
      'comment: not a pull request event and no pr-number; the job summary holds the report',
    );
    return undefined;
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) {
    options.warn('comment not written: GITHUB_REPOSITORY is not set');
    return undefined;
  }
  if (!options.token) {
    options.warn('comment not written: no github-token (the default is ${{ github.token }})');
    return undefined;
  }
  const github = {
    token: options.token,
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    ...(options.retryUnitMs !== undefined ? { retryUnitMs: options.retryUnitMs } : {}),
  };
  try {
    // A number from a fork's artifact is only as good as the artifact: check it names the PR
    // whose commit the triggering run measured.
    const measuredSha = options.event.workflowRunHeadSha;
    if (options.prNumber !== undefined && measuredSha) {
      const mismatch = await pullRequestMismatch({
        ...github,
        owner,
        repo,
        number: options.prNumber,
        expectedHeadSha: measuredSha,
      });
      if (mismatch) {
        options.warn(`comment not written: ${mismatch}`);
        return undefined;
      }
    }
    const result = await upsertStickyComment({
      ...github,
      owner,
      repo,
      issueNumber,
      marker: commentMarker(options.keyText),
      body: options.body,
      log: options.log,
    });
    options.log(`comment ${result.action}: ${result.url}`);
    return result.url;
  } catch (error) {
    const message = redactSecrets(errorMessage(error), options.secrets);
    options.warn(
      error instanceof CommentPermissionError ? message : `comment not written: ${message}`,
    );
    return undefined;
  }
}
