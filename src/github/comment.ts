/**
 * The sticky PR comment: one comment per benchmark key, found again by a hidden marker and
 * updated in place on every run. Uses the REST issue-comments endpoints (GitHub.com and GHES).
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { callGitHub, createGitHubClient, GitHubApiError, type GitHubClient } from './client.js';
import { tokenIdentity, writtenBy, type TokenIdentity } from './identity.js';

export { CommentPermissionError, GitHubApiError, PERMISSIONS_DOCS_URL } from './client.js';

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
  /** The length of one second of backoff, in ms (tests shrink it); see createGitHubClient. */
  retryUnitMs?: number;
  log?: (line: string) => void;
}

export type StickyCommentResult = { action: 'created' | 'updated'; url: string; id: number };

/** A create that may have landed is tried at most this often in all. */
const CREATE_ATTEMPTS = 3;

/**
 * Creates our comment once, then updates it in place. Ours is the first (oldest) comment that
 * starts with the marker and was written by the token's own identity (see tokenIdentity): a
 * comment that quotes the marker, or one by another account, is never overwritten, and should a
 * race ever create two, the oldest keeps being updated so the thread does not shift.
 */
export async function upsertStickyComment(
  options: StickyCommentOptions,
): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber, marker } = options;
  const context = { token: options.token, apiUrl: options.apiUrl.replace(/\/+$/, '') };
  const client = createGitHubClient({
    ...context,
    ...(options.retryUnitMs !== undefined ? { retryUnitMs: options.retryUnitMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const body = `${marker}\n${options.body}`;
  // Asked at most once per run, and only when a comment carries the marker.
  const identity: { known?: TokenIdentity } = {};
  const find = () => findOurComment(client, context, options, identity);

  const ours = await find();
  if (ours) {
    const { data } = await callGitHub('update the PR comment', context, () =>
      client.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body }),
    );
    return { action: 'updated', url: data.html_url, id: data.id };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      // Never retried inside the client: a 5xx may hide a comment that was written.
      const { data } = await callGitHub('create the PR comment', context, () =>
        client.rest.issues.createComment({
          owner,
          repo,
          issue_number: issueNumber,
          body,
          request: { retries: 0 },
        }),
      );
      return { action: 'created', url: data.html_url, id: data.id };
    } catch (error) {
      const mayHaveLanded =
        error instanceof GitHubApiError && (error.status === undefined || error.status >= 500);
      if (!mayHaveLanded || attempt >= CREATE_ATTEMPTS) throw error;
      await sleep(attempt * attempt * (options.retryUnitMs ?? 1000));
      const landed = await find();
      if (landed) return { action: 'created', url: landed.html_url, id: landed.id };
    }
  }
}

interface ListedComment {
  id: number;
  html_url: string;
  body?: string;
  user?: { login?: string; type?: string } | null;
}

async function findOurComment(
  client: GitHubClient,
  context: { token: string; apiUrl: string },
  options: StickyCommentOptions,
  identity: { known?: TokenIdentity },
): Promise<ListedComment | undefined> {
  const { owner, repo, issueNumber, marker } = options;
  const comments: ListedComment[] = await callGitHub('list the PR comments', context, () =>
    client.paginate(client.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    }),
  );
  const marked = comments.filter((comment) => (comment.body ?? '').trimStart().startsWith(marker));
  // Most runs find none: then who the token is does not matter, and GET /user is not asked.
  if (marked.length === 0) return undefined;
  identity.known ??= await tokenIdentity(client, context);
  const known = identity.known;
  return marked.find((comment) => writtenBy(comment, known));
}
