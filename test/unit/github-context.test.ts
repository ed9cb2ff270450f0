import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pullRequestFromEvent, workflowRunHeadSha } from '../../src/github/context.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-perf-gate-event-'));
let files = 0;
function eventFile(payload: unknown): string {
  const path = join(dir, `event-${files++}.json`);
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return path;
}

describe('pullRequestFromEvent', () => {
  it('reads pull_request and pull_request_target events', () => {
    const path = eventFile({ pull_request: { number: 42, head: { sha: 'abc123' } } });
    expect(pullRequestFromEvent(path, 'pull_request')).toEqual({ number: 42, headSha: 'abc123' });
    expect(pullRequestFromEvent(path, 'pull_request_target')).toEqual({
      number: 42,
      headSha: 'abc123',
    });
  });

  it('reads issue_comment only when the issue is a pull request', () => {
    const onPr = eventFile({ issue: { number: 9, pull_request: { url: 'https://x' } } });
    const onIssue = eventFile({ issue: { number: 9 } });
    expect(pullRequestFromEvent(onPr, 'issue_comment')).toEqual({ number: 9 });
    expect(pullRequestFromEvent(onIssue, 'issue_comment')).toBeUndefined();
  });

  it('reads the first pull request of a workflow_run', () => {
    const path = eventFile({
      workflow_run: { head_sha: 'def456', pull_requests: [{ number: 3, head: { sha: 'aaa' } }] },
    });
    expect(pullRequestFromEvent(path, 'workflow_run')).toEqual({ number: 3, headSha: 'aaa' });
    const fromFork = eventFile({ workflow_run: { head_sha: 'def456', pull_requests: [] } });
    expect(pullRequestFromEvent(fromFork, 'workflow_run')).toBeUndefined();
  });

  it('returns undefined for other events and bad input, never throws', () => {
    const push = eventFile({ ref: 'refs/heads/main', pull_request: { number: 1 } });
    expect(pullRequestFromEvent(push, 'push')).toBeUndefined();
    expect(pullRequestFromEvent(undefined, 'pull_request')).toBeUndefined();
    expect(pullRequestFromEvent(push, undefined)).toBeUndefined();
    expect(pullRequestFromEvent(join(dir, 'missing.json'), 'pull_request')).toBeUndefined();
    expect(pullRequestFromEvent(eventFile('{not json'), 'pull_request')).toBeUndefined();
    expect(pullRequestFromEvent(eventFile('[1,2]'), 'pull_request')).toBeUndefined();
    expect(pullRequestFromEvent(dir, 'pull_request')).toBeUndefined();
    const badNumber = eventFile({ pull_request: { number: '12' } });
    expect(pullRequestFromEvent(badNumber, 'pull_request')).toBeUndefined();
  });

  it('reads the measured commit of a workflow_run, and nothing for other events', () => {
    const run = eventFile({ workflow_run: { head_sha: 'def456', pull_requests: [] } });
    expect(workflowRunHeadSha(run, 'workflow_run')).toBe('def456');
    expect(workflowRunHeadSha(run, 'pull_request')).toBeUndefined();
    expect(workflowRunHeadSha(eventFile({ workflow_run: {} }), 'workflow_run')).toBeUndefined();
    expect(workflowRunHeadSha(join(dir, 'missing.json'), 'workflow_run')).toBeUndefined();
  });
});
