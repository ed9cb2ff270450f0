import { afterEach, describe, expect, it } from 'vitest';
import {
  CommentPermissionError,
  GitHubApiError,
  commentMarker,
  upsertStickyComment,
  type StickyCommentOptions,
} from '../../src/github/comment.js';
import { PerfGateError } from '../../src/errors.js';
import {
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions,
} from '../helpers/fake-github.js';

const TOKEN = 'ghs_SuperSecretToken1234567890';
const KEY = 'meta-llama/Llama-3.1-8B-Instruct · h100x1 · short-chat@3f2a9c1e · chat';
const PR = 7;

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  fake = await startFakeGitHub(options);
  return fake;
}

function options(server: FakeGitHub, overrides: Partial<StickyCommentOptions> = {}) {
  return {
    token: TOKEN,
    apiUrl: server.url,
    owner: 'owner',
    repo: 'repo',
    issueNumber: PR,
    marker: commentMarker(KEY),
    body: '### ✅ **Pass** · report',
    retryUnitMs: 1,
    ...overrides,
  };
}

describe('commentMarker', () => {
  it('is a hidden HTML comment that names the key and cannot be closed early', () => {
    const marker = commentMarker(KEY);
    expect(marker).toMatch(
      /^<!-- llm-perf-gate:meta-llama\/Llama-3\.1-8B-Instruct_h100x1_short-chat@3f2a9c1e_chat:[0-9a-f]{12} -->$/,
    );
    const hostile = commentMarker('x --> <script>alert(1)</script> -- y\n-->');
    expect(hostile.slice(5, -4)).not.toContain('--');
    expect(hostile.slice(5, -4)).not.toMatch(/[<>\s]/);
  });

  it('keeps keys apart that sanitise alike, and is stable', () => {
    expect(commentMarker('a b')).not.toBe(commentMarker('a_b'));
    expect(commentMarker(KEY)).toBe(commentMarker(KEY));
    expect(commentMarker('x'.repeat(5000)).length).toBeLessThan(200);
  });
});

describe('upsertStickyComment', () => {
  it('creates the comment once, then updates it in place', async () => {
    const server = await start();
    const first = await upsertStickyComment(options(server, { body: 'first run' }));
    expect(first.action).toBe('created');
    expect(first.url).toBe(`https://github.com/owner/repo/pull/${PR}#issuecomment-${first.id}`);

    const second = await upsertStickyComment(options(server, { body: 'second run' }));
    expect(second).toMatchObject({ action: 'updated', id: first.id });

    const comments = server.comments(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toBe(`${commentMarker(KEY)}\nsecond run`);
    expect(comments[0]?.user.type).toBe('Bot');
  });

  it('keeps one comment per key on the same PR (matrix jobs)', async () => {
    const server = await start();
    const a = commentMarker(`${KEY} · a100x1`);
    const b = commentMarker(`${KEY} · l4x1`);
    await upsertStickyComment(options(server, { marker: a, body: 'a1' }));
    await upsertStickyComment(options(server, { marker: b, body: 'b1' }));
    await upsertStickyComment(options(server, { marker: a, body: 'a2' }));
    await upsertStickyComment(options(server, { marker: b, body: 'b2' }));
    expect(server.comments(PR).map((comment) => comment.body)).toEqual([`${a}\na2`, `${b}\nb2`]);
  });

  it('finds its comment past 250 other comments (all pages)', async () => {
    const server = await start({ seed: { issueNumber: PR, count: 250 } });
    const created = await upsertStickyComment(options(server));
    expect(created.action).toBe('created');
    const updated = await upsertStickyComment(options(server, { body: 'again' }));
    expect(updated).toMatchObject({ action: 'updated', id: created.id });
    expect(server.comments(PR)).toHaveLength(251);

    const pages = server.requests.filter(
      (request) => request.method === 'GET' && request.path.includes('/comments'),
    );
    // 251 comments at 100 a page: three pages per listing, per_page=100 on the first request.
    expect(
      pages.slice(-3).map((request) => new URL(request.path, 'http://x').searchParams.get('page')),
    ).toEqual([null, '2', '3']);
    expect(pages.at(-3)?.path).toContain('per_page=100');
  });

  it('does not hijack a marker-bearing comment posted by a person', async () => {
    const marker = commentMarker(KEY);
    const server = await start({
      comments: [{ issueNumber: PR, body: `quoting the bot:\n${marker}\nold report` }],
    });
    const result = await upsertStickyComment(options(server, { body: 'fresh' }));
    expect(result.action).toBe('created');
    const comments = server.comments(PR);
    expect(comments).toHaveLength(2);
    expect(comments[0]?.body).toContain('old report');
  });

  it('updates the first (oldest) of several bot comments with the marker', async () => {
    const marker = commentMarker(KEY);
    const bot = { login: 'github-actions[bot]', type: 'Bot' as const };
    const server = await start({
      comments: [
        { issueNumber: PR, body: `${marker}\nold 1`, user: bot },
        { issueNumber: PR, body: `${marker}\nold 2`, user: bot },
      ],
    });
    const result = await upsertStickyComment(options(server, { body: 'new' }));
    expect(result.action).toBe('updated');
    expect(server.comments(PR).map((comment) => comment.body)).toEqual([
      `${marker}\nnew`,
      `${marker}\nold 2`,
    ]);
  });

  it('works against a GHES-style API root (/api/v3)', async () => {
    const server = await start({ seed: { issueNumber: PR, count: 120 } });
    const apiUrl = `${server.url}/api/v3/`;
    await upsertStickyComment(options(server, { apiUrl }));
    const result = await upsertStickyComment(options(server, { apiUrl, body: 'ghes' }));
    expect(result.action).toBe('updated');
    expect(server.requests.every((request) => request.path.startsWith('/api/v3/'))).toBe(true);
    expect(server.comments(PR)).toHaveLength(121);
  });

  it('sends the token as an authorization header', async () => {
    const server = await start();
    await upsertStickyComment(options(server));
    expect(server.requests.length).toBeGreaterThan(0);
    for (const request of server.requests) {
      expect(request.authorization).toMatch(new RegExp(`^(token|Bearer) ${TOKEN}$`));
    }
  });

  it('turns a 403 on create into CommentPermissionError with the permission hint', async () => {
    const server = await start({ deny: 'write' });
    const error = await upsertStickyComment(options(server)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommentPermissionError);
    expect(error).toBeInstanceOf(PerfGateError);
    const message = (error as Error).message;
    expect(message).toContain('HTTP 403');
    expect(message).toContain('Resource not accessible by integration');
    expect(message).toContain('pull-requests: write');
    expect(message).toContain('workflow_run');
    expect(message).toContain('https://docs.github.com/');
    expect(message).toContain('summary');
    expect(message).not.toContain('\n');
    expect(message).not.toContain(TOKEN);
    expect(server.comments(PR)).toHaveLength(0);
  });

  it('turns a 403 on update and on list into CommentPermissionError', async () => {
    const marker = commentMarker(KEY);
    const bot = { login: 'github-actions[bot]', type: 'Bot' as const };
    const writeDenied = await start({
      deny: 'write',
      comments: [{ issueNumber: PR, body: `${marker}\nold`, user: bot }],
    });
    await expect(upsertStickyComment(options(writeDenied))).rejects.toBeInstanceOf(
      CommentPermissionError,
    );
    await writeDenied.close();

    const readDenied = await start({ deny: 'all' });
    await expect(upsertStickyComment(options(readDenied))).rejects.toBeInstanceOf(
      CommentPermissionError,
    );
  });

  it('reports a rate limit as such, not as a permission problem', async () => {
    const server = await start({ rateLimited: true });
    const error = await upsertStickyComment(options(server)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).not.toBeInstanceOf(CommentPermissionError);
    expect((error as Error).message).toMatch(/rate limit/);
  });

  it('retries a 5xx on listing, and gives up with the status after the retries', async () => {
    const recovering = await start({ serverErrors: 2 });
    const result = await upsertStickyComment(options(recovering));
    expect(result.action).toBe('created');
    await recovering.close();

    const failing = await start({ serverErrors: 10 });
    const error = await upsertStickyComment(options(failing)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(502);
    expect((error as Error).message).toContain('HTTP 502');
    // The first try and three retries.
    expect(failing.requests).toHaveLength(4);
  });

  it('names an unreachable API without leaking the token', async () => {
    const server = await start();
    const apiUrl = server.url;
    await server.close();
    fake = undefined;
    const error = await upsertStickyComment(options(server, { apiUrl })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toContain(apiUrl);
    expect((error as Error).message).not.toContain(TOKEN);
  });
});
