import { readJsonFileSync } from '../json-file.js';

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
 * What this job's Actions event says, from the payload file ($GITHUB_EVENT_PATH). Read once, at
 * the start of a run, by the entry points; everything else is handed this.
 */
export interface ActionsEvent {
  /** The pull request the event is about. */
  pullRequest?: PullRequestRef;
  /**
   * workflow_run: the commit the triggering run ran on. A PR number read from that run's
   * artifact is trusted only for a PR whose head is this commit.
   */
  workflowRunHeadSha?: string;
  /** The repository's default branch, as the payload names it. */
  defaultBranch?: string;
}

/**
 * The event of the job that `env` describes; empty outside Actions. Never throws: a missing or
 * unreadable payload is an event that says nothing.
 */
export function readActionsEvent(env: NodeJS.ProcessEnv): ActionsEvent {
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  if (!payload) return {};
  const eventName = env.GITHUB_EVENT_NAME;
  const pullRequest = eventName ? pullRequestOf(payload, eventName) : undefined;
  const headSha = eventName === 'workflow_run' ? object(payload.workflow_run)?.head_sha : undefined;
  const defaultBranch = object(payload.repository)?.default_branch;
  return {
    ...(pullRequest ? { pullRequest } : {}),
    ...(typeof headSha === 'string' && headSha ? { workflowRunHeadSha: headSha } : {}),
    ...(typeof defaultBranch === 'string' && defaultBranch ? { defaultBranch } : {}),
  };
}

/**
 * The pull request an event is about, or undefined when there is none. Note that GitHub leaves
 * `workflow_run.pull_requests` empty when the PR comes from a fork.
 */
function pullRequestOf(payload: Json, eventName: string): PullRequestRef | undefined {
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

function readPayload(path: string | undefined): Json | undefined {
  if (!path) return undefined;
  try {
    return object(readJsonFileSync(path, 'event payload', (message) => new Error(message)));
  } catch {
    return undefined;
  }
}
