import { afterEach, describe, expect, it } from 'vitest';
import {
  GitHubApiError,
  commentMarker,
  upsertStickyComment,
  type StickyCommentOptions,
} from '../../src/github/comment.js';
import {
  ACTIONS_BOT,
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions,
} from '../helpers/fake-github.js';

/**
 * The edges of writing the sticky comment: whose comment is ours (a personal access token's user
 * or the app's bot), and 502s and secondary rate limits survived without a duplicate comment.
 */
const TOKEN = 'ghp_PersonalAccessToken0123456789';
const MARKER = commentMarker('sim-llama-8b · simulator · short-chat@0123456789ab · chat');
const PR = 12;
const PAT_USER = { login: 'Perf-Robot', type: 'User' as const };

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  fake = await startFakeGitHub(options);
  return fake;
}

function upsert(server: FakeGitHub, body: string, extra: Partial<StickyCommentOptions> = {}) {
  return upsertStickyComment({
    token: TOKEN,
    apiUrl: server.url,
    owner: 'owner',
    repo: 'repo',
    issueNumber: PR,
    marker: MARKER,
    body,
    retryUnitMs: 1,
    ...extra,
  });
}

const count = (server: FakeGitHub, method: string, pathPart: string) =>
  server.requests.filter((request) => request.method === method && request.path.includes(pathPart))
    .length;

describe('whose comment is ours', () => {
  it('updates a comment posted with a personal access token in place across runs', async () => {
    const server = await start({ viewer: PAT_USER, seed: { issueNumber: PR, count: 3 } });
    const first = await upsert(server, 'run 1');
    expect(first.action).toBe('created');
    // No comment carried the marker yet, so who the token is did not matter.
    expect(count(server, 'GET', '/user')).toBe(0);

    for (const run of [2, 3, 4]) {
      const again = await upsert(server, `run ${run}`);
      expect(again).toMatchObject({ action: 'updated', id: first.id });
    }
    const ours = server.comments(PR).filter((comment) => comment.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ body: `${MARKER}\nrun 4`, user: PAT_USER });
    expect(count(server, 'POST', '/comments')).toBe(1);
  });

  it("with a personal access token, leaves the bot's and other people's marked comments alone", async () => {
    const server = await start({
      viewer: PAT_USER,
      comments: [
        { issueNumber: PR, body: `${MARKER}\nfrom GITHUB_TOKEN days ago`, user: ACTIONS_BOT },
        {
          issueNumber: PR,
          body: `${MARKER}\ncopied by hand`,
          user: { login: 'ann', type: 'User' },
        },
        { issueNumber: PR, body: `quote:\n${MARKER}\nmine, quoted`, user: PAT_USER },
      ],
    });
    const result = await upsert(server, 'fresh');
    expect(result.action).toBe('created');
    const bodies = server.comments(PR).map((comment) => comment.body);
    expect(bodies).toEqual([
      `${MARKER}\nfrom GITHUB_TOKEN days ago`,
      `${MARKER}\ncopied by hand`,
      `quote:\n${MARKER}\nmine, quoted`,
      `${MARKER}\nfresh`,
    ]);
    expect(await upsert(server, 'again')).toMatchObject({ action: 'updated', id: result.id });
  });

  it('with GITHUB_TOKEN (GET /user refused), takes the bot comment as ours', async () => {
    const server = await start({
      comments: [
        { issueNumber: PR, body: `${MARKER}\nby a person`, user: { login: 'ann', type: 'User' } },
        { issueNumber: PR, body: `${MARKER}\nold`, user: ACTIONS_BOT },
      ],
    });
    const result = await upsert(server, 'new');
    expect(result.action).toBe('updated');
    expect(server.comments(PR).map((comment) => comment.body)).toEqual([
      `${MARKER}\nby a person`,
      `${MARKER}\nnew`,
    ]);
    expect(count(server, 'GET', '/user')).toBe(1);
  });
});

describe('502s and rate limits', () => {
  it('survives 502s on listing, identifying and updating without a duplicate', async () => {
    const server = await start({ viewer: PAT_USER });
    await upsert(server, 'first');
    await server.close();

    const flaky = await start({
      viewer: PAT_USER,
      comments: [{ issueNumber: PR, body: `${MARKER}\nfirst`, user: PAT_USER }],
      serverErrors: 2,
    });
    const result = await upsert(flaky, 'second');
    expect(result.action).toBe('updated');
    expect(flaky.comments(PR).map((comment) => comment.body)).toEqual([`${MARKER}\nsecond`]);
    expect(flaky.requests.length).toBeGreaterThanOrEqual(5);
  });

  it('a create that answered 502 but landed is found again, not posted twice', async () => {
    const server = await start({ createErrors: { count: 1, landed: true } });
    const result = await upsert(server, 'report');
    expect(result.action).toBe('created');
    expect(server.comments(PR).map((comment) => comment.body)).toEqual([`${MARKER}\nreport`]);
    expect(result.id).toBe(server.comments(PR)[0]?.id);
    expect(count(server, 'POST', '/comments')).toBe(1);
  });

  it('a create that answered 502 and did not land is tried again, once each time', async () => {
    const server = await start({ createErrors: { count: 2, landed: false } });
    const result = await upsert(server, 'report');
    expect(result.action).toBe('created');
    expect(server.comments(PR)).toHaveLength(1);
    // Each failed create is followed by a fresh listing before the next try.
    expect(server.requests.map((request) => request.method)).toEqual([
      'GET',
      'POST',
      'GET',
      'POST',
      'GET',
      'POST',
    ]);
  });

  it('gives up after three creates that all failed, having posted nothing twice', async () => {
    const server = await start({ createErrors: { count: 5, landed: false } });
    const error = await upsert(server, 'report').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(502);
    expect(count(server, 'POST', '/comments')).toBe(3);
    expect(server.comments(PR)).toHaveLength(0);
  });

  it('waits out secondary rate limits (retry-after) and writes one comment', async () => {
    const lines: string[] = [];
    const server = await start({ secondaryRateLimits: { count: 2, retryAfterSeconds: 3 } });
    const result = await upsert(server, 'report', { log: (line) => lines.push(line) });
    expect(result.action).toBe('created');
    expect(server.comments(PR)).toHaveLength(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^GitHub secondary rate limit on GET .*: waiting 3s and trying again$/,
    );
  });

  it('a rate-limited create is sent again: GitHub rejected it, so nothing landed', async () => {
    const server = await start({
      secondaryRateLimits: { count: 1, retryAfterSeconds: 1, method: 'POST' },
    });
    expect(await upsert(server, 'report')).toMatchObject({ action: 'created' });
    expect(server.comments(PR)).toHaveLength(1);
    expect(count(server, 'POST', '/comments')).toBe(2);
  });
});
