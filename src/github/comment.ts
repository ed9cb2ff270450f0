/**
 * The sticky PR comment: one comment per benchmark key, found again by a hidden marker and
 * updated in place on every run. Uses the REST issue-comments endpoints (GitHub.com and GHES).
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { getOctokit } from '@actions/github';
import { PerfGateError } from '../errors.js';

/** Where the fork-PR and token-permission patterns are explained. */
export const PERMISSIONS_DOCS_URL =
  'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions';

/** A GitHub API call failed. `status` is absent when no HTTP answer came back. */
export class GitHubApiError extends PerfGateError {
  override readonly name: string = 'GitHubApiError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The token may not read or write PR comments (HTTP 403/404): a warning, never a failed run. */
export class CommentPermissionError extends GitHubApiError {
  override readonly name = 'CommentPermissionError';
  constructor(status: number, detail: string) {
    super(
      `PR comment not written (HTTP ${status}: ${detail}): the token cannot write PR comments. ` +
        'Add `permissions: pull-requests: write` to the job; for pull requests from forks the ' +
        'token is read-only, so post the comment from a separate `workflow_run` workflow ' +
        `(${PERMISSIONS_DOCS_URL}). The job summary, outputs and verdict are unaffected.`,
      status,
    );
  }
}

const MARKER_KEY_LENGTH = 120;

/**
 * The hidden marker that identifies our comment for one benchmark key, so matrix jobs each keep
 * their own. The readable part keeps only safe characters (no `--`, so no `-->`); a hash of the
 * full key keeps keys that sanitise or truncate alike apart.
 */
export function commentMarker(keyText: string): string {
  const readable = keyText
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._:/@+=-]+/g, '_')
    .replace(/-{2,}/g, '-')
    .replace(/_{2,}/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MARKER_KEY_LENGTH);
  const digest = createHash('sha256').update(keyText).digest('hex').slice(0, 12);
  return `<!-- llm-perf-gate:${readable}:${digest} -->`;
}

export interface StickyCommentOptions {
  token: string;
  /** REST API root: `https://api.github.com`, or `https://HOST/api/v3` on GHES. */
  apiUrl: string;
  owner: string;
  repo: string;
  issueNumber: number;
  marker: string;
  /** The report; the marker is prepended. */
  body: string;
  /** Waits before retrying a 5xx or network failure of the idempotent calls (list, update). */
  retryDelaysMs?: readonly number[];
}

export type StickyCommentResult = { action: 'created' | 'updated'; url: string; id: number };

const DEFAULT_RETRY_DELAYS_MS = [1000, 3000];

/**
 * Creates our comment once, then updates it in place. Reads every page of comments and takes
 * the first (oldest) comment that carries the marker and was posted by a bot account: a human's
 * comment that quotes the marker is never overwritten, and should a race ever create two, the
 * oldest keeps being updated so the thread does not shift. Comments posted with a personal
 * access token are by a user, not a bot, and are therefore not found again.
 */
export async function upsertStickyComment(
  options: StickyCommentOptions,
): Promise<StickyCommentResult> {
  const { token, owner, repo, issueNumber, marker } = options;
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const octokit = getOctokit(token, { baseUrl: apiUrl });
  const body = `${marker}\n${options.body}`;
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const context = { token, apiUrl };

  const comments = await call('list the PR comments', context, delays, () =>
    octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    }),
  );
  const ours = comments.find(
    (comment) => comment.user?.type === 'Bot' && (comment.body ?? '').includes(marker),
  );
  if (ours) {
    const { data } = await call('update the PR comment', context, delays, () =>
      octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body }),
    );
    return { action: 'updated', url: data.html_url, id: data.id };
  }
  // Not retried: a create that failed with a 5xx may still have landed, and a retry would spam.
  const { data } = await call('create the PR comment', context, [], () =>
    octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
  );
  return { action: 'created', url: data.html_url, id: data.id };
}

interface CallContext {
  token: string;
  apiUrl: string;
}

async function call<T>(
  action: string,
  context: CallContext,
  retryDelaysMs: readonly number[],
  request: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const failure = toApiError(action, error, context);
      const transient = failure.status === undefined || failure.status >= 500;
      const delay = retryDelaysMs[attempt];
      if (!transient || delay === undefined) throw failure;
      await sleep(delay);
    }
  }
}

/** Octokit's RequestError, read structurally (it is not a direct dependency). */
interface HttpFailure {
  status?: unknown;
  message?: unknown;
  response?: { data?: unknown };
}

function toApiError(action: string, error: unknown, context: CallContext): GitHubApiError {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as HttpFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const detail = shortDetail(failure, context.token);
  // Octokit reports a transport failure as status 500 without a response.
  if (status === undefined || !failure.response) {
    return new GitHubApiError(
      `could not ${action}: GitHub API at ${context.apiUrl} not reachable (${detail})`,
    );
  }
  if ((status === 403 || status === 429) && /rate limit/i.test(detail)) {
    return new GitHubApiError(
      `could not ${action}: GitHub API rate limit (HTTP ${status}: ${detail}); try again later`,
      status,
    );
  }
  if (status === 403 || status === 404) return new CommentPermissionError(status, detail);
  return new GitHubApiError(`could not ${action}: HTTP ${status}: ${detail}`, status);
}

/** The API's own message (no documentation link), one line, capped, without the token. */
function shortDetail(failure: HttpFailure, token: string): string {
  const data = failure.response?.data;
  const message =
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { message?: unknown }).message === 'string'
      ? (data as { message: string }).message
      : typeof failure.message === 'string'
        ? failure.message
        : 'unknown error';
  const line = message.replace(/\s+/g, ' ').trim().slice(0, 200);
  return token ? line.split(token).join('***') : line;
}
