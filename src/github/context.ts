import { readFileSync } from 'node:fs';

export interface PullRequestRef {
  number: number;
  headSha?: string;
}

/** Events whose payload carries `pull_request`. */
const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function ref(number: unknown, headSha: unknown): PullRequestRef | undefined {
  if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0) return undefined;
  return typeof headSha === 'string' && headSha ? { number, headSha } : { number };
}

/**
 * The pull request an Actions event is about, from the event payload file ($GITHUB_EVENT_PATH),
 * or undefined when there is none. Never throws: a missing or unreadable file means "no PR".
 * Note that GitHub leaves `workflow_run.pull_requests` empty when the PR comes from a fork.
 */
export function pullRequestFromEvent(
  eventPath: string | undefined,
  eventName: string | undefined,
): PullRequestRef | undefined {
  const payload = readEvent(eventPath, eventName);
  if (!payload || !eventName) return undefined;

  if (PULL_REQUEST_EVENTS.has(eventName)) {
    const pullRequest = object(payload.pull_request);
    return ref(pullRequest?.number, object(pullRequest?.head)?.sha);
  }
  if (eventName === 'issue_comment') {
    const issue = object(payload.issue);
    // Comments on plain issues arrive through the same event; only PRs have `pull_request`.
    return issue?.pull_request ? ref(issue.number, undefined) : undefined;
  }
  if (eventName === 'workflow_run') {
    const run = object(payload.workflow_run);
    const pullRequests = Array.isArray(run?.pull_requests) ? run.pull_requests : [];
    const first = object(pullRequests[0]);
    return ref(first?.number, object(first?.head)?.sha ?? run?.head_sha);
  }
  return undefined;
}

/**
 * The commit a `workflow_run` event's triggering run ran on, or undefined for other events. A PR
 * number read from that run's artifact is trusted only for a PR whose head is this commit.
 */
export function workflowRunHeadSha(
  eventPath: string | undefined,
  eventName: string | undefined,
): string | undefined {
  if (eventName !== 'workflow_run') return undefined;
  const headSha = object(readEvent(eventPath, eventName)?.workflow_run)?.head_sha;
  return typeof headSha === 'string' && headSha ? headSha : undefined;
}

/** The event payload; undefined when there is none or it does not parse (never throws). */
function readEvent(eventPath: string | undefined, eventName: string | undefined): Json | undefined {
  if (!eventPath || !eventName) return undefined;
  try {
    return object(JSON.parse(readFileSync(eventPath, 'utf8')));
  } catch {
    return undefined;
  }
}
