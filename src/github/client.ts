/**
 * The GitHub REST client: Octokit from @actions/github with the retry plugin (5xx and dropped
 * connections, exponential backoff) and the throttling plugin (waits out secondary rate limits),
 * and the one translation of its failures into GitHubApiError.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
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
        `(examples/fork-pr.yml; ${PERMISSIONS_DOCS_URL}). The job summary, outputs and verdict are unaffected.`,
      status,
    );
  }
}

export interface GitHubClientOptions {
  token: string;
  /** REST API root: `https://api.github.com`, or `https://HOST/api/v3` on GHES. */
  apiUrl: string;
  /**
   * How long "one second" of backoff and of a `retry-after` header lasts, in ms (default 1000).
   * Tests shrink it so that retries and rate-limit waits take milliseconds.
   */
  retryUnitMs?: number;
  /** Told about each rate-limit wait. */
  log?: (line: string) => void;
}

/** 5xx and network failures are retried this often, after 1, 4, 9 units. */
const RETRIES = 3;
/** Rate limits are waited out this often, and only when the wait is at most this long. */
const RATE_LIMIT_RETRIES = 2;
const MAX_RATE_LIMIT_WAIT_SECONDS = 120;

export type GitHubClient = ReturnType<typeof createGitHubClient>;

/**
 * GitHub asks for writes at least 1 s apart, and 3 s for those that notify people (a new
 * comment). The throttling plugin keeps these paces in process-wide groups; each client gets its
 * own, in the same unit as its retries, so that tests do not wait seconds between each other's
 * writes. A run makes one client.
 */
function pacing(unit: number) {
  const group = (minTime: number) => new Bottleneck.Group({ maxConcurrent: 1, minTime });
  return { write: group(unit), notifications: group(3 * unit) };
}

export function createGitHubClient(options: GitHubClientOptions) {
  const unit = options.retryUnitMs ?? 1000;
  const log = options.log ?? (() => undefined);
  const waitOrGiveUp =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      count: number,
    ) => {
      const retrying = count < RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
      log(
        `GitHub ${kind} on ${request.method} ${request.url}: ` +
          (retrying ? `waiting ${retryAfter}s and trying again` : 'giving up'),
      );
      return retrying;
    };
  return getOctokit(
    options.token,
    {
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      retry: { retries: RETRIES, retryAfterBaseValue: unit },
      throttle: {
        retryAfterBaseValue: unit,
        ...pacing(unit),
        onSecondaryRateLimit: waitOrGiveUp('secondary rate limit'),
        onRateLimit: waitOrGiveUp('rate limit'),
      },
      log: { debug: () => undefined, info: () => undefined, warn: log, error: log },
    },
    retry,
    throttling,
  );
}

/** Octokit's RequestError, read structurally (it is not a direct dependency). */
interface HttpFailure {
  status?: unknown;
  message?: unknown;
  response?: { data?: unknown };
}

/** The HTTP status of a failed call; undefined when no answer came back. */
export function failureStatus(error: unknown): number | undefined {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as HttpFailure;
  return typeof failure.status === 'number' && failure.response ? failure.status : undefined;
}

/**
 * One call, its failure turned into a GitHubApiError whose one-line message says what we were
 * doing and never holds the token. Retries already happened inside the client.
 */
export async function callGitHub<T>(
  action: string,
  client: { token: string; apiUrl: string },
  request: () => Promise<T>,
): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toApiError(action, error, client);
  }
}

export function toApiError(
  action: string,
  error: unknown,
  context: { token: string; apiUrl: string },
): GitHubApiError {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as HttpFailure;
  const status = failureStatus(error);
  const detail = shortDetail(failure, context.token);
  // Octokit reports a transport failure as status 500 without a response.
  if (status === undefined) {
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
