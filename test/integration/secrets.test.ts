import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { LIGHT_SERVER, TINY_MIX } from '../helpers/light-load.js';
import { makeWorkspace, pullRequestEvent, runAction } from '../helpers/run-action.js';

/** Recognisable secrets: if any of them shows up anywhere a user can read, the test fails. */
const API_KEY = 'sk-SECRET-KEY-f00dfeed1234';
const TOKEN = 'ghs_SECRETTOKEN5678abcd';
const HEADER_VALUE = 'hdr-SECRET-VALUE-9999';
const URL_PASSWORD = 'urlSECRETpass42';
const CUSTOM_AUTH = 'custAUTHcred7777';
const SECRETS = [API_KEY, TOKEN, HEADER_VALUE, URL_PASSWORD, CUSTOM_AUTH];

let simulator: Simulator;
let github: FakeGitHub;
let echoServer: Server;
let echoUrl: string;

beforeAll(async () => {
  simulator = await startSimulator({ ...LIGHT_SERVER, apiKey: API_KEY });
  github = await startFakeGitHub();
  // A server that echoes the request headers in its error body, as some gateways do.
  echoServer = createServer((request, response) => {
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: 'boom', headers: request.headers }));
  });
  await new Promise<void>((resolve) => echoServer.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echoServer.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await Promise.all([simulator.close(), github.close()]);
  echoServer.closeAllConnections();
  await new Promise<void>((resolve) => echoServer.close(() => resolve()));
});

function everythingWritten(
  workspace: string,
  result: { stdout: string; stderr: string; summary: string; outputs: Record<string, string> },
): string {
  const files = readdirSync(workspace, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
  const comments = github.comments(3).map((comment) => comment.body);
  return [
    result.stdout,
    result.stderr,
    result.summary,
    JSON.stringify(result.outputs),
    ...files,
    ...comments,
  ].join('\n');
}

function expectNoSecret(text: string) {
  // A prefix counts too: an echoed header cut short by truncation is still a leak.
  for (const secret of SECRETS) expect(text).not.toContain(secret.slice(0, 6));
  expect(text).not.toContain(Buffer.from(`user:${URL_PASSWORD}`).toString('base64'));
}

describe('secrets never leak', () => {
  const workspace = makeWorkspace();
  const common = {
    endpoint: '',
    'api-key': API_KEY,
    'github-token': TOKEN,
    headers: `X-Team-Secret: ${HEADER_VALUE}`,
    model: 'sim-llama-8b',
    // Outputs of a few tokens: what is written matters here, not how long the answers are.
    'prompt-mix': TINY_MIX,
    requests: '30',
    'warmup-requests': '2',
    'record-requests': 'requests.jsonl',
  };

  it.each(['report', 'update-baseline', 'gate'])('mode %s', async (mode) => {
    const resultsPath = join(workspace, 'llm-perf-gate-results.json');
    rmSync(resultsPath, { force: true });
    const result = await runAction(
      {
        ...common,
        endpoint: simulator.url,
        mode,
        'baseline-trials': '1',
        'accept-noisy-baseline': 'true',
      },
      { workspace, event: pullRequestEvent(3), env: { GITHUB_API_URL: github.url } },
    );
    // The run must have measured and written its results; its verdict (or a baseline refused
    // because a busy machine tripped the self-check) is not this test's business.
    const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
    expect(results.summary.requests, result.stdout).toBe(30);
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expectNoSecret(everythingWritten(workspace, result));
  });

  it('error messages from a server that echoes the headers', async () => {
    const result = await runAction(
      { ...common, endpoint: echoUrl, mode: 'report', comment: 'never' },
      { workspace },
    );
    // Every warm-up request fails: unhealthy, stopped before measuring, no figure made up.
    expect(result.outputs.verdict).toBe('unhealthy');
    expect(result.outputs['error-rate']).toBe('');
    expect(result.stdout).toContain('http_5xx');
    expectNoSecret(everythingWritten(workspace, result));
  });

  it('credentials in the endpoint URL, reachable or not', async () => {
    const withCredentials = echoUrl.replace('http://', `http://user:${URL_PASSWORD}@`);
    const reachable = await runAction(
      { ...common, endpoint: withCredentials, mode: 'report', comment: 'never' },
      { workspace },
    );
    expectNoSecret(everythingWritten(workspace, reachable));
    const unreachable = await runAction(
      { ...common, endpoint: `http://user:${URL_PASSWORD}@127.0.0.1:9/v1`, mode: 'report' },
      { workspace },
    );
    expect(unreachable.exitCode).toBe(3);
    expect(unreachable.stdout).toContain(
      '::error::unhealthy: every warm-up request failed (connect',
    );
    expectNoSecret(everythingWritten(workspace, unreachable));
  });

  it('an ordinary header is not a secret; a custom auth header is', async () => {
    // `Connection: close` once masked every "close" in the log; the hardware label shows it.
    const headers = `Connection: close\nX-Custom-Auth: ${CUSTOM_AUTH}`;
    const measured = await runAction(
      {
        ...common,
        endpoint: simulator.url,
        headers,
        hardware: 'closet-gpu',
        mode: 'report',
        comment: 'never',
      },
      { workspace, env: { GITHUB_ACTIONS: 'true' } },
    );
    // The verdict does not matter here (a busy machine can make it inconclusive): the text does.
    expect(measured.stdout).toContain('closet-gpu');
    expect(measured.summary).toContain('closet-gpu');
    expect(measured.stdout).not.toContain('***t-gpu');
    // On GitHub the runner consumes `::add-mask::` lines; they must name credentials only.
    const masks = measured.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'));
    expect(masks).toContain(`::add-mask::${CUSTOM_AUTH}`);
    expect(masks).not.toContain('::add-mask::close');
    const stdout = measured.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expectNoSecret(everythingWritten(workspace, { ...measured, stdout }));

    const echoed = await runAction(
      { ...common, endpoint: echoUrl, headers, mode: 'report', comment: 'never' },
      { workspace },
    );
    expect(echoed.stdout).toContain('http_5xx');
    expectNoSecret(everythingWritten(workspace, echoed));
  });

  it('credentials in metrics-url, reachable or not', async () => {
    // A busy machine may call the run inconclusive: that is not what this test is about.
    const lenient = { ...common, 'fail-on-regression': 'false' };
    const origin = new URL(simulator.url).origin.replace('http://', `http://user:${URL_PASSWORD}@`);
    const reachable = await runAction(
      {
        ...lenient,
        endpoint: simulator.url,
        mode: 'report',
        comment: 'never',
        'metrics-url': `${origin}/metrics`,
        'metrics-interval': '200ms',
      },
      { workspace },
    );
    expect(reachable.exitCode, reachable.stdout).toBe(0);
    expect(reachable.summary).toContain('Server view');
    expectNoSecret(everythingWritten(workspace, reachable));
    const unreachable = await runAction(
      {
        ...lenient,
        endpoint: simulator.url,
        mode: 'report',
        comment: 'never',
        'metrics-url': `http://user:${URL_PASSWORD}@127.0.0.1:9/metrics`,
      },
      { workspace },
    );
    expect(unreachable.exitCode, unreachable.stdout).toBe(0);
    expect(unreachable.stdout).toContain('metrics: scrape of http://127.0.0.1:9/metrics failed');
    expectNoSecret(everythingWritten(workspace, unreachable));
  });

  it('a malformed input that contains a secret', async () => {
    const result = await runAction(
      { ...common, endpoint: simulator.url, headers: `${API_KEY}` },
      { workspace },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/::error::headers line 1 must look like "Name: value"/);
    expectNoSecret(everythingWritten(workspace, result));
  });
});
