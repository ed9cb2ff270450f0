import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_STATUS } from '../../src/exit-status.js';
import type { RunResults } from '../../src/domain/results.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CLI_ENTRY, makeWorkspace, runAction, runNode } from '../helpers/run-action.js';

/**
 * A cancelled job (SIGINT from Ctrl-C, SIGTERM from a cancelled workflow) keeps what it measured,
 * is marked cancelled, is never judged, and never turns the requests it cut short into errors.
 */
const MIX = resolve('test/fixtures/mixes/fast.yaml');
let simulator: Simulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

/** Slow decoding, so that a long plan is still running when the signal comes. */
async function slowServer(): Promise<Simulator> {
  simulator = await startSimulator({ decodeStepMs: 15, seed: 21 });
  return simulator;
}

/** Sends `signal` once the server has completed `after` requests (polled, bounded). */
function signalAfter(server: Simulator, after: number, signal: NodeJS.Signals) {
  return (child: ChildProcess) => {
    const deadline = Date.now() + 60_000;
    const poll = setInterval(() => {
      if (server.stats().completed >= after || Date.now() > deadline) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 50);
    child.once('close', () => clearInterval(poll));
  };
}

function readResults(path: string): RunResults {
  return JSON.parse(readFileSync(path, 'utf8')) as RunResults;
}

function expectCancelledResults(results: RunResults) {
  expect(results.health?.status).toBe('cancelled');
  expect(results.partial).toBe(true);
  // In-flight requests cut short by the signal are dropped, not counted as endpoint errors.
  expect(results.summary.failed).toBe(0);
  expect(results.summary.requests).toBeGreaterThan(0);
  expect(results.summary.requests).toBeLessThan(5000);
}

describe('cancellation', () => {
  it('SIGINT to the CLI writes partial results marked cancelled and exits 130', async () => {
    const server = await slowServer();
    const workspace = makeWorkspace();
    const resultsPath = join(workspace, 'out.json');
    const result = await runNode(
      CLI_ENTRY,
      [
        'run',
        ...['--endpoint', server.url, '--model', 'sim-llama-8b', '--prompt-mix', MIX],
        ...['--mode', 'gate', '--requests', '5000', '--concurrency', '4'],
        ...['--warmup-requests', '2', '--results-path', resultsPath],
      ],
      { cwd: workspace, onStart: signalAfter(server, 12, 'SIGINT') },
    );
    expect(result.exitCode).toBe(EXIT_STATUS.cancelled);
    expect(result.stdout).toContain('CANCELLED');
    expect(result.stderr).toMatch(/^error: cancelled: partial results were written/m);
    expectCancelledResults(readResults(resultsPath));
  });

  it('SIGTERM to the action still sets the outputs and the summary', async () => {
    const server = await slowServer();
    const result = await runAction(
      {
        endpoint: server.url,
        model: 'sim-llama-8b',
        'prompt-mix': MIX,
        mode: 'update-baseline',
        requests: '5000',
        concurrency: '4',
        'warmup-requests': '2',
        comment: 'never',
      },
      { onStart: signalAfter(server, 12, 'SIGTERM') },
    );
    expect(result.exitCode).toBe(EXIT_STATUS.cancelled);
    expect(result.outputs.verdict).toBe('cancelled');
    expect(result.outputs['baseline-path']).toBe('');
    expect(result.summary).toContain('Cancelled');
    expectCancelledResults(readResults(result.outputs['results-path'] ?? ''));
  });
});
