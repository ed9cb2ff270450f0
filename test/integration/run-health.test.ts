import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { EXIT_STATUS } from '../../src/exit-status.js';
import type { RunResults } from '../../src/domain/results.js';
import { renderReport } from '../../src/report/markdown.js';
import { run } from '../../src/run.js';
import { LIGHT_CONCURRENCY, LIGHT_SERVER, TINY_MIX } from '../helpers/light-load.js';
import { makeWorkspace } from '../helpers/run-action.js';
import { trackServers } from '../helpers/loopback.js';
import {
  startSimulatorHost,
  type SimulatorHost,
  type SimulatorProcess,
} from '../helpers/simulator-process.js';

/**
 * The worst days: endpoints that refuse, hang, fail or die. Each ends with the right verdict and
 * exit status after about one wave of requests, one line that says what to do, the results
 * written, and never a pass or a baseline.
 */
const servers = trackServers();
/** The simulators' process: this one only measures, as a client on a light load (light-load.ts). */
let host: SimulatorHost;
let simulator: SimulatorProcess | undefined;

beforeAll(async () => {
  host = await startSimulatorHost();
});
afterAll(async () => {
  await host.close();
});
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

/** A loopback server with a scripted answer; counts the requests it saw. */
async function scripted(
  answer: (request: IncomingMessage, response: ServerResponse, seen: number) => void,
): Promise<{ url: string; seen: () => number }> {
  let seen = 0;
  const server = createServer((request, response) => {
    request.resume();
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ object: 'list', data: [{ id: 'sim-llama-8b', object: 'model' }] }),
      );
      return;
    }
    answer(request, response, ++seen);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, seen: () => seen };
}

function status(code: number, body: string) {
  return (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(code, { 'content-type': 'application/json' });
    response.end(body);
  };
}

async function runAgainst(
  endpoint: string,
  mode: 'report' | 'update-baseline' | 'gate',
  extra: Partial<Record<InputName, string>> = {},
) {
  const workspace = makeWorkspace();
  const inputs: Partial<Record<InputName, string>> = {
    endpoint,
    model: 'sim-llama-8b',
    'prompt-mix': TINY_MIX,
    mode,
    requests: '200',
    'warmup-requests': '6',
    concurrency: '3',
    timeout: '1s',
    'baseline-trials': '1',
    ...extra,
  };
  const lines: string[] = [];
  const outcome = await run(
    parseConfig((name) => inputs[name]),
    {
      cwd: workspace,
      env: {},
      event: {},
      log: (line) => lines.push(line),
      warn: (line) => lines.push(`warning: ${line}`),
    },
  );
  const results = JSON.parse(readFileSync(outcome.resultsPath, 'utf8')) as RunResults;
  const baselines = existsSync(join(workspace, 'baselines'))
    ? readdirSync(join(workspace, 'baselines'))
    : [];
  return { outcome, results, baselines, log: lines.join('\n') };
}

describe('an endpoint where every request fails is unhealthy in every mode', () => {
  it.each([
    ['report', 'http 401', /check api-key and headers/, 401, '{"error":{"message":"bad key"}}'],
    ['update-baseline', 'http 404', /ends in \/v1/, 404, '{"detail":"Not Found"}'],
    ['gate', 'http_5xx', /check its logs/, 500, '{"error":"boom"}'],
  ] as const)('%s: %s', async (mode, errorClass, hint, code, body) => {
    const server = await scripted(status(code, body));
    const { outcome, results, baselines } = await runAgainst(server.url, mode);
    expect(outcome.verdict).toBe('unhealthy');
    expect(outcome.exitStatus).toBe(EXIT_STATUS.unhealthy);
    expect(outcome.failure).toMatch(
      new RegExp(`^unhealthy: every warm-up request failed \\(${errorClass} ×3\\)`),
    );
    expect(outcome.failure).toMatch(hint);
    expect(outcome.failure).not.toContain('\n');
    // Stopped after one wave of warm-up requests (a fast failure may let one more start, which
    // is abandoned): nothing measured, results still written.
    expect(server.seen()).toBeGreaterThanOrEqual(3);
    expect(server.seen()).toBeLessThanOrEqual(6);
    expect(results.health).toMatchObject({ status: 'unhealthy' });
    expect(results.summary.requests).toBe(0);
    expect(baselines).toEqual([]);
    // The report shows nothing as measured (no 0 tok/s, no 0.00% errors) and gives the hint
    // once, as the next step.
    const markdown = renderReport(outcome.report);
    for (const label of ['TTFT p95', 'Output tokens/s', 'Requests/s', 'Error rate']) {
      expect(markdown).toMatch(new RegExp(`\\| ${label} \\| — \\|`));
    }
    expect(markdown).not.toMatch(/\| Output length \||Only 0 successful/);
    expect(markdown.match(new RegExp(hint.source, 'g'))).toHaveLength(1);
  });

  it('a hung endpoint is stopped after one wave of timeouts, not after the whole plan', async () => {
    const server = await scripted(() => {
      // Accept and never answer.
    });
    const { outcome, results } = await runAgainst(server.url, 'report');
    expect(outcome.verdict).toBe('unhealthy');
    expect(outcome.failure).toMatch(
      /timeout ×3\); first: no response headers within the \d+ ms timeout\..*did not answer within timeout/,
    );
    // Three requests in flight time out about together and the run ends at the third: on a busy
    // machine the first two slots may each start one more request before it, never a third.
    expect(server.seen()).toBeGreaterThanOrEqual(3);
    expect(server.seen()).toBeLessThanOrEqual(5);
    expect(results.partial).toBe(true);
  });

  it('without warm-up the measured phase stops once 90% of the last 50 failed', async () => {
    const server = await scripted(status(503, '{"error":"overloaded"}'));
    const { outcome, results } = await runAgainst(server.url, 'report', {
      'warmup-requests': '0',
      requests: '1000',
    });
    expect(outcome.verdict).toBe('unhealthy');
    // One wave with no success is already hopeless; at most the requests in flight follow it.
    expect(server.seen()).toBeLessThanOrEqual(6);
    expect(results.summary.requests).toBeGreaterThanOrEqual(3);
    expect(results.summary.requests).toBeLessThan(1000);
  });

  it('a server that dies mid-run keeps what was measured and is never judged', async () => {
    simulator = await host.start({ ...LIGHT_SERVER, seed: 3 });
    const live = simulator;
    // A front that forwards to the simulator for 40 requests, then refuses like a dead server.
    const front = await scripted((request, response, seen) => {
      if (seen > 40) {
        response.socket?.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void fetch(`${live.url}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        }).then(async (upstream) => {
          response.writeHead(upstream.status, { 'content-type': 'text/event-stream' });
          response.end(Buffer.from(await upstream.arrayBuffer()));
        });
      });
    });
    // A timeout no busy machine reaches: the server's death is what ends this run.
    const { outcome, results, baselines } = await runAgainst(front.url, 'update-baseline', {
      'warmup-requests': '4',
      timeout: '60s',
    });
    expect(outcome.verdict).toBe('unhealthy');
    expect(outcome.exitStatus).toBe(EXIT_STATUS.unhealthy);
    expect(outcome.failure).toMatch(/of the last \d+ measured requests failed/);
    expect(results.summary.succeeded).toBe(36);
    expect(results.summary.requests).toBeLessThan(200);
    expect(baselines).toEqual([]);
  });
});

describe('a pass must mean the gate could have seen a regression', () => {
  it('a run too small to see twice the threshold is inconclusive by default, and says why', async () => {
    // A light load (test/helpers/light-load.ts): the verdicts are about sensitivity, not speed.
    simulator = await host.start({ ...LIGHT_SERVER, seed: 5 });
    const workspace = makeWorkspace();
    const inputs: Partial<Record<InputName, string>> = {
      endpoint: simulator.url,
      model: 'sim-llama-8b',
      'prompt-mix': TINY_MIX,
      requests: '60',
      'warmup-requests': '2',
      concurrency: LIGHT_CONCURRENCY,
      'baseline-trials': '2',
      // Only metrics a busy machine cannot move: TTFT p95 (not judged at 60) and errors (none).
      thresholds: 'output_tokens_per_second: off',
      // A 60-request baseline is refused as too noisy unless accepted: here it is the point.
      'accept-noisy-baseline': 'true',
    };
    const context = { cwd: workspace, env: {}, event: {}, log: () => {}, warn: () => {} };
    const update = await run(
      parseConfig((name) => ({ ...inputs, mode: 'update-baseline' })[name]),
      context,
    );
    expect(update.verdict, update.failure).toBe('updated');
    const gated = await run(
      parseConfig((name) => ({ ...inputs, mode: 'gate' })[name]),
      context,
    );
    expect(gated.verdict, gated.failure).toBe('inconclusive');
    expect(gated.exitStatus).toBe(EXIT_STATUS.gateFailed);
    expect(gated.failure).toMatch(/^inconclusive: /);
    // 60 samples cannot give a p95: a blind spot, named with its fix.
    const blind = gated.report.findings?.find(
      (finding) => finding.kind === 'not-judged' && finding.check.label === 'TTFT p95',
    );
    expect(blind && 'check' in blind ? blind.check.evidence : '').toMatch(/raise requests/);
    const lenient = await run(
      parseConfig((name) => ({ ...inputs, mode: 'gate', 'on-low-sensitivity': 'pass' })[name]),
      context,
    );
    // With `pass` chosen, the blind spot no longer stops it.
    expect(lenient.verdict, lenient.failure).toBe('pass');
  });
});

describe('a first run is held to absolute limits', () => {
  it('fails at 11% HTTP 500s with no baseline, naming the limit, and writes no baseline', async () => {
    simulator = await host.start({ ...LIGHT_SERVER, seed: 9, faults: { http500: 0.11 } });
    // Eight at a time: a first wave that fails whole (the dead-server rule) is then 0.11⁸ away.
    const byDefault = await runAgainst(simulator.url, 'gate', { concurrency: '8' });
    expect(byDefault.outcome.verdict, byDefault.outcome.failure).toBe('regression');
    expect(byDefault.outcome.exitStatus).toBe(EXIT_STATUS.gateFailed);
    expect(byDefault.outcome.failure).toMatch(
      /^performance regression: Error rate \d+\.\d+% \(allowed ≤ 5\.00%\)/,
    );
    expect(byDefault.baselines).toEqual([]);
    // The comparisons it could not make yet are named once, in the results and the summary.
    const waiting = byDefault.results.warnings.find((warning) => warning.code === 'baseline');
    expect(waiting?.message).toMatch(/^thresholds "ttft\.p95: \+10% \(default\)"/);
    const markdown = renderReport(byDefault.outcome.report);
    expect(markdown).toMatch(
      /\| \*\*Error rate\*\* \| \*\*\d+\.\d+%\*\* \| ≤ 5\.00% \| ❌ \*\*regression\*\* \|/,
    );
    expect(markdown).toContain('baseline-max-error-rate');

    const userLimit = await runAgainst(simulator.url, 'gate', {
      concurrency: '8',
      thresholds: 'error_rate: < 50%',
    });
    expect(userLimit.outcome.verdict, userLimit.outcome.failure).toBe('no-baseline');
    expect(userLimit.outcome.exitStatus).toBe(EXIT_STATUS.ok);
  });

  it('holds a first run to the SLOs it sets', async () => {
    simulator = await host.start({ ...LIGHT_SERVER, seed: 10 });
    // Every TTFT is ≥ 40 ms: an SLO of 5 ms is met by no request, one of 10 s by all; a hundred
    // requests show either beyond doubt.
    const slo = { requests: '100', concurrency: LIGHT_CONCURRENCY };
    const missed = await runAgainst(simulator.url, 'gate', { ...slo, 'slo-ttft': '5ms' });
    expect(missed.outcome.verdict, missed.outcome.failure).toBe('regression');
    expect(missed.outcome.failure).toMatch(/SLO attainment 0\.00% \(allowed ≥ 95\.00%\)/);
    const met = await runAgainst(simulator.url, 'gate', { ...slo, 'slo-ttft': '10s' });
    expect(met.outcome.verdict, met.outcome.failure).toBe('no-baseline');
    const check = met.outcome.gate?.checks.find((row) => row.metric === 'slo_attainment');
    expect(check).toMatchObject({ status: 'pass', current: 1 });
    // The user's own line replaces the default share.
    const lenient = await runAgainst(simulator.url, 'gate', {
      ...slo,
      'slo-ttft': '5ms',
      thresholds: 'slo_attainment: off',
    });
    expect(lenient.outcome.verdict, lenient.outcome.failure).toBe('no-baseline');
  });
});
