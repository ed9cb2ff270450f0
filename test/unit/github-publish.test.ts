import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/github/comment.js';
import { readActionsEvent, type ActionsEvent } from '../../src/github/context.js';
import { publishComment, type PublishOptions } from '../../src/github/publish.js';
import {
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions,
} from '../helpers/fake-github.js';

/** Which pull request the comment goes to: the event's, or `pr-number` checked against its head. */
const TOKEN = 'ghs_InstallationToken0123456789';
const KEY = 'sim-llama-8b · simulator · short-chat@0123456789ab · chat';
const MEASURED = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  fake = await startFakeGitHub(options);
  return fake;
}

const dir = mkdtempSync(join(tmpdir(), 'llm-perf-gate-publish-'));
let events = 0;
function event(name: string, payload: unknown): ActionsEvent {
  const path = join(dir, `event-${events++}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return readActionsEvent({ GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path });
}

/** A fork PR's workflow_run: GitHub leaves pull_requests empty. */
const forkRun = () =>
  event('workflow_run', {
    workflow_run: { event: 'pull_request', head_sha: MEASURED, pull_requests: [] },
  });

async function publish(server: FakeGitHub, event: ActionsEvent, extra: Partial<PublishOptions>) {
  const log: string[] = [];
  const warnings: string[] = [];
  const url = await publishComment({
    policy: 'always',
    verdict: 'pass',
    body: 'report',
    keyText: KEY,
    token: TOKEN,
    event,
    env: { GITHUB_REPOSITORY: 'owner/repo', GITHUB_API_URL: server.url },
    secrets: [TOKEN],
    log: (line) => log.push(line),
    warn: (line) => warnings.push(line),
    retryUnitMs: 1,
    ...extra,
  });
  return { url, log, warnings };
}

describe('publishComment: which pull request', () => {
  it('a fork PR via workflow_run: pr-number finds its PR when its head is the measured commit', async () => {
    const server = await start({ pullRequests: { 12: { headSha: MEASURED } } });
    const first = await publish(server, forkRun(), { prNumber: 12 });
    expect(first.warnings).toEqual([]);
    expect(first.url).toMatch(/\/pull\/12#issuecomment-\d+$/);
    expect(server.comments(12).map((comment) => comment.body)).toEqual([
      `${commentMarker(KEY)}\nreport`,
    ]);
    const second = await publish(server, forkRun(), { prNumber: 12, body: 'again' });
    expect(second.url).toBe(first.url);
    expect(server.comments(12)).toHaveLength(1);
  });

  it('refuses a pr-number whose head is not the measured commit (a forged or stale number)', async () => {
    const server = await start({ pullRequests: { 13: { headSha: 'ffff'.repeat(10) } } });
    const { url, warnings } = await publish(server, forkRun(), { prNumber: 13 });
    expect(url).toBeUndefined();
    expect(warnings).toEqual([
      `comment not written: pr-number 13: that pull request's head is ffffffffffff, but the results were measured on a1b2c3d4e5f6 (a newer push, or a wrong number)`,
    ]);
    expect(server.comments(13)).toHaveLength(0);
    expect(server.requests.map((request) => request.method)).toEqual(['GET']);
  });

  it('names a pr-number that is no pull request', async () => {
    const server = await start();
    const { url, warnings } = await publish(server, forkRun(), { prNumber: 99 });
    expect(url).toBeUndefined();
    expect(warnings).toEqual([
      'comment not written: pr-number 99: no such pull request in owner/repo',
    ]);
  });

  it('without pr-number, a fork workflow_run has no PR: the summary holds the report', async () => {
    const server = await start();
    const { url, log } = await publish(server, forkRun(), {});
    expect(url).toBeUndefined();
    expect(log.join('\n')).toContain('no pr-number');
    expect(server.requests).toHaveLength(0);
  });

  it('pr-number outside workflow_run is taken as given; the event PR otherwise', async () => {
    const server = await start();
    const push = event('push', { ref: 'refs/heads/main' });
    expect((await publish(server, push, { prNumber: 5 })).url).toMatch(/\/pull\/5#/);
    const pr = event('pull_request', { pull_request: { number: 6, head: { sha: MEASURED } } });
    expect((await publish(server, pr, {})).url).toMatch(/\/pull\/6#/);
    expect(server.requests.some((request) => request.path.includes('/pulls/'))).toBe(false);
  });
});
