/**
 * A tiny in-memory fake of the GitHub REST API on 127.0.0.1 (port 0): issue comments (list with
 * Link pagination, create, update), the token's user (`GET /user`), pull requests' heads and
 * files, with scripted faults (502s, secondary rate limits, a create that lands but answers 502).
 * Routes also answer under a GHES-style `/api/v3` prefix.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  login: string;
  type: 'User' | 'Bot';
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: FakeUser;
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  authorization?: string;
}

export interface FakeGitHubOptions {
  /** Seed this many comments by other (human) users on an issue. */
  seed?: { issueNumber: number; count: number };
  /** Extra seeded comments, after the `seed` ones. */
  comments?: Array<{ issueNumber: number; body: string; user?: FakeUser }>;
  /** `write`: create/update answer 403; `all`: listing too. */
  deny?: 'write' | 'all';
  /**
   * Who the token belongs to: comments are created as this user. A Bot (an installation token
   * such as GITHUB_TOKEN) gets 403 from `GET /user`, as on GitHub. Default `github-actions[bot]`.
   */
  viewer?: FakeUser;
  /** The first N requests answer 502 and do nothing. */
  serverErrors?: number;
  /** The first `count` creates answer 502; with `landed` the comment is stored all the same. */
  createErrors?: { count: number; landed: boolean };
  /**
   * The first `count` requests (of `method` only, when given) answer 403 "secondary rate limit"
   * with this retry-after; GitHub has then done nothing.
   */
  secondaryRateLimits?: { count: number; retryAfterSeconds: number; method?: string };
  /** Every answer is 403 with a secondary-rate-limit message. */
  rateLimited?: boolean;
  /** Pull requests by number: their head commit (`GET /repos/o/r/pulls/N`). */
  pullRequests?: Record<number, { headSha: string }>;
  /** The pull request files API: changed files per pull request number. */
  pullFiles?: Record<number, Array<{ filename: string; status: string }>>;
}

export interface FakeGitHub {
  /** Base URL without a path, e.g. `http://127.0.0.1:41234`. */
  url: string;
  comments(issueNumber: number): FakeComment[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };
const SECONDARY_RATE_LIMIT = {
  message:
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
};
const FORBIDDEN = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
  status: '403',
};

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const store: FakeComment[] = [];
  const requests: RecordedRequest[] = [];
  let nextId = 1000;
  const viewer = options.viewer ?? ACTIONS_BOT;
  let serverErrors = options.serverErrors ?? 0;
  let createErrors = options.createErrors?.count ?? 0;
  let secondaryRateLimits = options.secondaryRateLimits?.count ?? 0;

  const add = (issueNumber: number, body: string, user: FakeUser): FakeComment => {
    const id = nextId++;
    const now = new Date(Date.UTC(2026, 10, 1, 0, 0, id - 1000)).toISOString();
    const comment = {
      id,
      issueNumber,
      body,
      user,
      html_url: `https://github.com/owner/repo/pull/${issueNumber}#issuecomment-${id}`,
      created_at: now,
      updated_at: now,
    };
    store.push(comment);
    return comment;
  };
  if (options.seed) {
    for (let i = 0; i < options.seed.count; i++) {
      add(options.seed.issueNumber, `comment ${i}`, { login: `reviewer-${i % 7}`, type: 'User' });
    }
  }
  for (const comment of options.comments ?? []) {
    add(comment.issueNumber, comment.body, comment.user ?? { login: 'someone', type: 'User' });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(response, 500, { message: String(error) }),
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const rawPath = request.url ?? '/';
    requests.push({ method, path: rawPath, authorization: request.headers.authorization });
    if (!request.headers.authorization) {
      return send(response, 401, { message: 'Requires authentication' });
    }
    if (serverErrors > 0) {
      serverErrors -= 1;
      return send(response, 502, { message: 'Server Error' });
    }
    const limitedMethod = options.secondaryRateLimits?.method;
    if (secondaryRateLimits > 0 && (!limitedMethod || limitedMethod === method)) {
      secondaryRateLimits -= 1;
      return send(response, 403, SECONDARY_RATE_LIMIT, {
        'retry-after': String(options.secondaryRateLimits?.retryAfterSeconds ?? 60),
      });
    }
    if (options.rateLimited) return send(response, 403, SECONDARY_RATE_LIMIT);
    const url = new URL(rawPath, 'http://fake');
    const prefix = url.pathname.startsWith('/api/v3/') ? '/api/v3' : '';
    const path = url.pathname.slice(prefix.length);

    const list = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path);
    const update = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
    const pullFiles = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/files$/.exec(path);
    const pull = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)$/.exec(path);

    if (pullFiles && method === 'GET') {
      const files = options.pullFiles?.[Number(pullFiles[1])];
      if (!files) return send(response, 404, { message: 'Not Found' });
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
      const next = new URL(`http://${request.headers.host}${url.pathname}`);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(page + 1));
      const more = page * perPage < files.length;
      return send(
        response,
        200,
        files.slice((page - 1) * perPage, page * perPage).map((file) => ({ ...file, sha: 'f' })),
        more ? { link: `<${next.toString()}>; rel="next"` } : {},
      );
    }
    if (path === '/user' && method === 'GET') {
      if (viewer.type === 'Bot') return send(response, 403, FORBIDDEN);
      return send(response, 200, { login: viewer.login, id: viewer.login.length, type: 'User' });
    }
    if (pull && method === 'GET') {
      const number = Number(pull[1]);
      const found = options.pullRequests?.[number];
      if (!found) return send(response, 404, { message: 'Not Found' });
      return send(response, 200, { number, state: 'open', head: { sha: found.headSha } });
    }

    if (list && method === 'GET') {
      if (options.deny === 'all') return send(response, 403, FORBIDDEN);
      const issueNumber = Number(list[1]);
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
      const all = store.filter((comment) => comment.issueNumber === issueNumber);
      const last = Math.max(Math.ceil(all.length / perPage), 1);
      const pageUrl = (n: number) => {
        const target = new URL(`http://${request.headers.host}${url.pathname}`);
        target.searchParams.set('per_page', String(perPage));
        target.searchParams.set('page', String(n));
        return target.toString();
      };
      const links: string[] = [];
      if (page < last)
        links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`);
      if (page > 1)
        links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`);
      const slice = all.slice((page - 1) * perPage, page * perPage).map(toApi);
      return send(response, 200, slice, links.length > 0 ? { link: links.join(', ') } : {});
    }
    if (list && method === 'POST') {
      if (options.deny) return send(response, 403, FORBIDDEN);
      const { body } = await readJson(request);
      if (typeof body !== 'string') return send(response, 422, { message: 'body is required' });
      if (createErrors > 0) {
        createErrors -= 1;
        if (options.createErrors?.landed) add(Number(list[1]), body, viewer);
        return send(response, 502, { message: 'Server Error' });
      }
      return send(response, 201, toApi(add(Number(list[1]), body, viewer)));
    }
    if (update && method === 'PATCH') {
      if (options.deny) return send(response, 403, FORBIDDEN);
      const comment = store.find((candidate) => candidate.id === Number(update[1]));
      if (!comment) return send(response, 404, { message: 'Not Found' });
      const { body } = await readJson(request);
      if (typeof body !== 'string') return send(response, 422, { message: 'body is required' });
      comment.body = body;
      comment.updated_at = new Date().toISOString();
      return send(response, 200, toApi(comment));
    }
    return send(response, 404, { message: 'Not Found' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments: (issueNumber) =>
      store
        .filter((comment) => comment.issueNumber === issueNumber)
        .map((comment) => ({ ...comment })),
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The API's shape of a comment. */
function toApi(comment: FakeComment) {
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    body: comment.body,
    user: { ...comment.user, id: comment.user.login.length },
    html_url: comment.html_url,
    issue_url: `https://api.github.com/repos/owner/repo/issues/${comment.issueNumber}`,
    created_at: comment.created_at,
    updated_at: comment.updated_at,
  };
}
