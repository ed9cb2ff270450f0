import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readActionsEvent } from '../../src/github/context.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-perf-gate-event-'));
let files = 0;
function eventFile(payload: unknown): string {
  const path = join(dir, `event-${files++}.json`);
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return path;
}

const read = (path: string | undefined, name: string | undefined) =>
  readActionsEvent({ GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: name });
const pullRequestOf = (path: string | undefined, name: string | undefined) =>
  read(path, name).pullRequest;

describe('readActionsEvent: the pull request', () => {
  it('reads pull_request and pull_request_target events', () => {
    const path = eventFile({ pull_request: { number: 42, head: { sha: 'abc123' } } });
    expect(pullRequestOf(path, 'pull_request')).toEqual({ number: 42, headSha: 'abc123' });
    expect(pullRequestOf(path, 'pull_request_target')).toEqual({
      number: 42,
      headSha: 'abc123',
    });
  });

  it('reads issue_comment only when the issue is a pull request', () => {
    const onPr = eventFile({ issue: { number: 9, pull_request: { url: 'https://x' } } });
    const onIssue = eventFile({ issue: { number: 9 } });
    expect(pullRequestOf(onPr, 'issue_comment')).toEqual({ number: 9 });
    expect(pullRequestOf(onIssue, 'issue_comment')).toBeUndefined();
  });

  it('reads the first pull request of a workflow_run', () => {
    const path = eventFile({
      workflow_run: { head_sha: 'def456', pull_requests: [{ number: 3, head: { sha: 'aaa' } }] },
    });
    expect(pullRequestOf(path, 'workflow_run')).toEqual({ number: 3, headSha: 'aaa' });
    const fromFork = eventFile({ workflow_run: { head_sha: 'def456', pull_requests: [] } });
    expect(pullRequestOf(fromFork, 'workflow_run')).toBeUndefined();
  });

  it('knows nothing for other events and bad input, and never throws', () => {
    const push = eventFile({ ref: 'refs/heads/main', pull_request: { number: 1 } });
    expect(pullRequestOf(push, 'push')).toBeUndefined();
    expect(pullRequestOf(push, undefined)).toBeUndefined();
    expect(read(undefined, 'pull_request')).toEqual({});
    expect(read(join(dir, 'missing.json'), 'pull_request')).toEqual({});
    expect(read(eventFile('{not json'), 'pull_request')).toEqual({});
    expect(read(eventFile('[1,2]'), 'pull_request')).toEqual({});
    expect(read(dir, 'pull_request')).toEqual({});
    const badNumber = eventFile({ pull_request: { number: '12' } });
    expect(pullRequestOf(badNumber, 'pull_request')).toBeUndefined();
  });
});

describe('readActionsEvent: the rest', () => {
  it('reads the measured commit of a workflow_run, and nothing for other events', () => {
    const run = eventFile({ workflow_run: { head_sha: 'def456', pull_requests: [] } });
    expect(read(run, 'workflow_run').workflowRunHeadSha).toBe('def456');
    expect(read(run, 'pull_request').workflowRunHeadSha).toBeUndefined();
    expect(
      read(eventFile({ workflow_run: {} }), 'workflow_run').workflowRunHeadSha,
    ).toBeUndefined();
  });

  it("reads the repository's default branch, whatever the event", () => {
    const push = eventFile({ ref: 'refs/heads/main', repository: { default_branch: 'main' } });
    expect(read(push, 'push').defaultBranch).toBe('main');
    expect(read(push, undefined).defaultBranch).toBe('main');
    expect(read(eventFile({ repository: {} }), 'push').defaultBranch).toBeUndefined();
  });
});
