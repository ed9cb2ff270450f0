import { GitHubApiError, callGitHub, createGitHubClient } from './client.js';

export interface PullRequestCheck {
  token: string;
  apiUrl: string;
  owner: string;
  repo: string;
  number: number;
  /** The commit the results were measured on. */
  expectedHeadSha: string;
  retryUnitMs?: number;
}

/**
 * Why a PR number that came with untrusted results (a fork's artifact) must not be commented on,
 * or undefined when the PR's head is the commit the results were measured on. Without this check
 * a fork could name any PR and have our report posted there.
 */
export async function pullRequestMismatch(check: PullRequestCheck): Promise<string | undefined> {
  const context = { token: check.token, apiUrl: check.apiUrl.replace(/\/+$/, '') };
  const client = createGitHubClient({
    ...context,
    ...(check.retryUnitMs !== undefined ? { retryUnitMs: check.retryUnitMs } : {}),
  });
  const { owner, repo, number } = check;
  try {
    const { data } = await callGitHub(`read pull request #${number}`, context, () =>
      client.rest.pulls.get({ owner, repo, pull_number: number }),
    );
    if (data.head.sha === check.expectedHeadSha) return undefined;
    return (
      `pr-number ${number}: that pull request's head is ${data.head.sha.slice(0, 12)}, but the ` +
      `results were measured on ${check.expectedHeadSha.slice(0, 12)} (a newer push, or a wrong number)`
    );
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404)
      return `pr-number ${number}: no such pull request in ${owner}/${repo}`;
    throw error;
  }
}
