import type { CommentPolicy } from '../config/types.js';
import { errorMessage } from '../errors.js';
import type { Verdict } from '../gate/types.js';
import { redactSecrets } from '../secrets.js';
import { CommentPermissionError, commentMarker, upsertStickyComment } from './comment.js';
import { pullRequestFromEvent } from './context.js';

export interface PublishOptions {
  policy: CommentPolicy;
  verdict: Verdict;
  body: string;
  /** Text that identifies the benchmark key: matrix jobs each keep their own comment. */
  keyText: string;
  token?: string;
  env: NodeJS.ProcessEnv;
  secrets: readonly string[];
  log: (line: string) => void;
  warn: (line: string) => void;
}

/**
 * Writes (or updates) the sticky PR comment when the event is a pull request and the policy asks
 * for it. Never throws: a comment that cannot be written is a warning, and the summary, outputs
 * and verdict stand on their own.
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
  const pullRequest = pullRequestFromEvent(env.GITHUB_EVENT_PATH, env.GITHUB_EVENT_NAME);
  if (!pullRequest) {
    options.log('comment: not a pull request event; the job summary holds the report');
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
  try {
    const result = await upsertStickyComment({
      token: options.token,
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      owner,
      repo,
      issueNumber: pullRequest.number,
      marker: commentMarker(options.keyText),
      body: options.body,
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
