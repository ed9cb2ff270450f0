import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorFaults } from '../../src/simulator/index.js';
import { sendRequests } from '../helpers/client.js';
import { trackServers } from '../helpers/loopback.js';

let simulator: Simulator | undefined;
const servers = trackServers();

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function withFault(fault: keyof SimulatorFaults, timeoutMs = 3000) {
  simulator = await startSimulator({ faults: { [fault]: 1 }, stallMs: 10_000, decodeStepMs: 1 });
  const [record] = await sendRequests(simulator.url, { timeoutMs });
  if (!record) throw new Error('no record');
  return record;
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the client classifies every fault and never counts one as a success', () => {
  it.each([
    ['http429', 'http_429', /HTTP 429/],
    ['http500', 'http_5xx', /HTTP 500/],
    ['http502', 'http_5xx', /HTTP 502/],
    ['http503', 'http_5xx', /HTTP 503/],
    [
      'breakMidstream',
      'midstream',
      /^the server closed the connection \(.+\) after \d+ text events$/,
    ],
    ['malformedEvent', 'protocol', /unparsable event/],
    ['errorEvent', 'midstream', /error event/],
    ['htmlAnswer', 'protocol', /expected text\/event-stream, got text\/html/],
    ['jsonAnswer', 'protocol', /expected text\/event-stream, got application\/json/],
    ['emptyStream', 'empty', /no generated text/],
  ] as const)('%s → %s', async (fault, errorClass, message) => {
    const record = await withFault(fault);
    expect(record.ok).toBe(false);
    expect(record.errorClass).toBe(errorClass);
    expect(record.errorMessage).toMatch(message);
    expect(record.e2eMs).toBeGreaterThan(0);
  });

  it('no headers → timeout, saying none came', async () => {
    const record = await withFault('stallHeaders', 400);
    expect(record).toMatchObject({ ok: false, errorClass: 'timeout' });
    expect(record.errorMessage).toBe('no response headers within the 400 ms timeout');
  });

  it('stall mid-stream → timeout, after some tokens arrived, saying where it stalled', async () => {
    const record = await withFault('stallMidstream', 600);
    expect(record).toMatchObject({ ok: false, errorClass: 'timeout' });
    expect(record.textEvents).toBeGreaterThan(0);
    expect(record.errorMessage).toMatch(
      new RegExp(
        `^the stream stalled after ${record.textEvents} text events: none for the last \\d+ ms and no end within the 600 ms timeout$`,
      ),
    );
  });

  it('a slow-loris trickle → timeout', async () => {
    const record = await withFault('slowLoris', 800);
    expect(record).toMatchObject({ ok: false, errorClass: 'timeout' });
  });

  it('a huge event is read, not fatal', async () => {
    const record = await withFault('hugeEvent', 10_000);
    expect(record.ok).toBe(true);
    expect(record.textEvents).toBeGreaterThan(0);
  });

  it('connection refused → connect', async () => {
    const server = createHttpServer();
    const address = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    servers.pop();
    const [record] = await sendRequests(`http://${address}/v1`);
    expect(record).toMatchObject({ ok: false, errorClass: 'connect' });
    expect(record?.errorMessage).toMatch(/^connection refused \(ECONNREFUSED/);
  });

  it('a self-signed TLS server → tls', async () => {
    const server = createHttpsServer(
      {
        key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url)),
        cert: readFileSync(new URL('../fixtures/tls/cert.pem', import.meta.url)),
      },
      (_request, response) => response.end('ok'),
    );
    const address = await listen(server);
    const [record] = await sendRequests(`https://${address}/v1`);
    expect(record).toMatchObject({ ok: false, errorClass: 'tls' });
  });

  it('a 429 from an HTTP 200-less proxy keeps its status', async () => {
    simulator = await startSimulator({ faults: { http429: 1 }, retryAfterSeconds: 3 });
    const [record] = await sendRequests(simulator.url);
    expect(record?.status).toBe(429);
  });

  it('a stream that ends without [DONE] or finish_reason → midstream', async () => {
    const server = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n');
    });
    const address = await listen(server);
    const [record] = await sendRequests(`http://${address}/v1`);
    expect(record).toMatchObject({ ok: false, errorClass: 'midstream' });
  });

  it('a model that stops at once → empty, naming the finish reason', async () => {
    const server = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(
        'data: {"choices":[{"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}\n\n' +
          'data: [DONE]\n\n',
      );
    });
    const address = await listen(server);
    const [record] = await sendRequests(`http://${address}/v1`);
    expect(record).toMatchObject({
      ok: false,
      errorClass: 'empty',
      errorMessage: 'the stream carried no generated text (finish_reason stop)',
    });
  });
});

describe('the client measures what the brief defines', () => {
  it('does not stop TTFT at a role-only chunk or a null-content chunk', async () => {
    const server = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n');
      response.write('data: {"choices":[{"delta":{"content":null}}]}\n\n');
      setTimeout(() => {
        response.write('data: {"choices":[{"delta":{"content":"Hello"}}]}\n\n');
        response.write(
          'data: {"choices":[{"delta":{"content":" world"},"finish_reason":"stop"}]}\n\n',
        );
        response.write(
          'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2},"system_fingerprint":"fp_x"}\n\n',
        );
        response.end('data: [DONE]\n\n');
      }, 120);
    });
    const address = await listen(server);
    const [record] = await sendRequests(`http://${address}/v1`);
    expect(record?.ok).toBe(true);
    expect(record?.ttfbMs).toBeLessThan(100);
    expect(record?.ttftMs).toBeGreaterThanOrEqual(110);
    expect(record?.outputTokens).toBe(2);
    expect(record?.outputTokensEstimated).toBe(false);
    expect(record?.inputTokens).toBe(5);
    expect(record?.textEvents).toBe(2);
    expect(record?.itlMs).toHaveLength(1);
    expect(record?.systemFingerprint).toBe('fp_x');
  });

  it('counts reasoning text for TTFT and reports time to first output separately', async () => {
    simulator = await startSimulator({ reasoningTokens: 5, decodeStepMs: 20, jitter: 0 });
    const [record] = await sendRequests(simulator.url);
    expect(record?.ok).toBe(true);
    expect(record?.ttfoMs).toBeGreaterThan((record?.ttftMs ?? 0) + 60);
  });

  it('marks output tokens as estimated when the server sends no usage', async () => {
    simulator = await startSimulator({ sendUsage: false });
    const [record] = await sendRequests(simulator.url);
    expect(record?.ok).toBe(true);
    expect(record?.outputTokensEstimated).toBe(true);
    expect(record?.tokenCounting).toBe('characters');
    expect(record?.outputTokens).toBeGreaterThan(0);
  });

  it('reads the completions API too', async () => {
    simulator = await startSimulator();
    const [record] = await sendRequests(simulator.url, { api: 'completions' });
    expect(record?.ok).toBe(true);
    expect(record?.outputTokens).toBeGreaterThan(0);
  });

  it('sends the API key as a Bearer token', async () => {
    simulator = await startSimulator({ apiKey: 'sk-right-key' });
    const [wrong] = await sendRequests(simulator.url, { apiKey: 'sk-wrong-key' });
    expect(wrong).toMatchObject({ ok: false, errorClass: 'http_4xx', status: 401 });
    const [right] = await sendRequests(simulator.url, { apiKey: 'sk-right-key' });
    expect(right?.ok).toBe(true);
  });
});
