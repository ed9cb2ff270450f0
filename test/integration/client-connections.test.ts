import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamClient } from '../../src/client/stream-client.js';
import type { RequestRecord } from '../../src/client/types.js';
import { runPhase } from '../../src/load/runner.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { plannedChat } from '../helpers/client.js';
import { trackServers } from '../helpers/loopback.js';

const STREAM =
  'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n' +
  'data: {"choices":[{"delta":{"content":" there"},"finish_reason":"stop"}]}\n\n' +
  'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}\n\n' +
  'data: [DONE]\n\n';

const servers = trackServers();
let simulator: Simulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

/**
 * Servers that advertise keep-alive and still serve one response per connection. `fin`:
 * llama.cpp's server as issue 10 found it, closing the connection a moment after each stream,
 * so a request written before the close arrives is lost (or, with the close seen first, none
 * is). `silent`: no close until the next request arrives, which is dropped: every reuse fails,
 * so the retry is exercised whatever the timing.
 */
function oneResponsePerConnection(close: 'fin' | 'silent'): Server {
  const served = new WeakSet<Socket>();
  return createServer((request, response) => {
    const socket = request.socket;
    if (served.has(socket)) {
      socket.destroy();
      return;
    }
    served.add(socket);
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5, max=100',
      });
      response.end(STREAM, () => {
        if (close === 'fin') setTimeout(() => socket.destroy(), 2);
      });
    });
  });
}

async function run(endpoint: string, concurrency: number, count: number) {
  const client = new StreamClient({
    endpoint,
    api: 'chat',
    model: 'sim-llama-8b',
    headers: {},
    connections: concurrency,
    timeoutMs: 5000,
  });
  const records: RequestRecord[] = [];
  try {
    await runPhase({
      sender: client,
      sampler: (index) => plannedChat(index),
      firstIndex: 0,
      count,
      concurrency,
      onRecord: (record) => records.push(record),
    });
    return { records, facts: client.facts };
  } finally {
    await client.close();
  }
}

describe('connection reuse', () => {
  it.each([1, 4, 64])(
    'a server that drops every reused connection: no errors at concurrency %i, reconnects counted',
    async (concurrency) => {
      const count = Math.max(40, 4 * concurrency);
      const endpoint = await listen(oneResponsePerConnection('silent'));
      const { records, facts } = await run(endpoint, concurrency, count);
      expect(records.filter((record) => !record.ok).map((record) => record.errorMessage)).toEqual(
        [],
      );
      expect(records).toHaveLength(count);
      expect(facts.connections?.reconnects).toBeGreaterThan(0);
      // Once the server has shown it closes after most responses, nothing is reused any more.
      expect(facts.connections?.reuseStopped).toMatch(/closed the connection after \d+ of \d+/);
      expect(facts.connections?.reconnects).toBeLessThan(count / 2);
    },
  );

  it.each([1, 4, 64])(
    'a server that closes after every response: no errors at concurrency %i, reuse stopped',
    async (concurrency) => {
      const count = Math.max(40, 4 * concurrency);
      const endpoint = await listen(oneResponsePerConnection('fin'));
      const { records, facts } = await run(endpoint, concurrency, count);
      expect(records.filter((record) => !record.ok).map((record) => record.errorMessage)).toEqual(
        [],
      );
      expect(facts.connections?.reconnects).toBeGreaterThanOrEqual(0);
      expect(facts.connections?.reuseStopped).toMatch(/closed the connection after \d+ of \d+/);
    },
  );

  it('a server that keeps connections alive: no reconnects, reuse kept', async () => {
    simulator = await startSimulator({ decodeStepMs: 1 });
    const { records, facts } = await run(simulator.url, 4, 40);
    expect(records.every((record) => record.ok)).toBe(true);
    expect(facts.connections).toEqual({ reconnects: 0 });
  });

  it('Connection: close on every response stops reuse without a single reconnect', async () => {
    const endpoint = await listen(
      createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          response.writeHead(200, { 'content-type': 'text/event-stream', connection: 'close' });
          response.end(STREAM);
        });
      }),
    );
    const { records, facts } = await run(endpoint, 2, 20);
    expect(records.every((record) => record.ok)).toBe(true);
    expect(facts.connections?.reconnects).toBe(0);
    expect(facts.connections?.reuseStopped).toBeDefined();
  });

  it('a reset on a fresh connection stays a connect error, retried never', async () => {
    const endpoint = await listen(
      createServer((request) => {
        request.socket.resetAndDestroy();
      }),
    );
    const { records, facts } = await run(endpoint, 1, 3);
    expect(records.map((record) => record.errorClass)).toEqual(['connect', 'connect', 'connect']);
    expect(facts.connections?.reconnects).toBe(0);
  });

  it('a refused port still fails as connect', async () => {
    const server = createServer();
    const endpoint = await listen(server);
    servers.pop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { records, facts } = await run(endpoint, 1, 2);
    expect(records.map((record) => record.errorClass)).toEqual(['connect', 'connect']);
    expect(records[0]?.errorMessage).toContain('ECONNREFUSED');
    expect(facts.connections?.reconnects).toBe(0);
  });
});
