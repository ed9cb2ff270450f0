import { mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { Agent, createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/client/types.js';
import type { InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { run } from '../../src/run.js';
import type { RunResults } from '../../src/domain/results.js';
import { FLAVORS, FLAVOR_NAMES, type FlavorName } from '../../src/simulator/flavors.js';
import { startSimulator } from '../../src/simulator/index.js';
import { resolveOptions } from '../../src/simulator/options.js';

/** What a transcript implies (test/fixtures/streams/<flavor>.json). */
interface Implied {
  server: string;
  source: string;
  textEvents: number;
  /** Index, among the data events, of the first one that carries generated text. */
  firstTextEvent: number;
  usage: { completion_tokens: number } | null;
  reasoning: { events: number; firstOutputEvent: number } | null;
  done: boolean;
  lineEnd: 'lf' | 'crlf';
  closesConnection: boolean;
}

const FIXTURES = 'test/fixtures/streams';
const transcript = (flavor: FlavorName) => readFileSync(join(FIXTURES, `${flavor}.sse`), 'utf8');
const implied = (flavor: FlavorName): Implied =>
  JSON.parse(readFileSync(join(FIXTURES, `${flavor}.json`), 'utf8')) as Implied;

/** The data of each event, comments skipped; `[DONE]` kept as a string. */
function dataEvents(text: string): unknown[] {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n\n')
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n'),
    )
    .filter((data) => data !== '')
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

type Json = Record<string, unknown>;

/** One event's kind and field names: what a client's parser meets, whatever the words. */
function shapeOf(event: unknown): string {
  if (event === '[DONE]') return 'done';
  const chunk = event as Json;
  const choices = chunk.choices as Json[] | undefined;
  const choice = choices?.[0];
  const delta = (choice?.delta ?? {}) as Json;
  const filled = (value: unknown) => typeof value === 'string' && value !== '';
  let kind: string;
  if (!choice) {
    kind = chunk.prompt_filter_results ? 'prompt-filter' : chunk.usage ? 'usage' : 'empty';
  } else if (filled(delta.reasoning) || filled(delta.reasoning_content)) {
    kind = 'reasoning';
  } else if (filled(delta.content)) {
    kind = 'text';
  } else if (delta.role) {
    kind = 'role';
  } else {
    kind = 'closing';
  }
  if (choice?.finish_reason) kind += '+finish';
  if (choice && chunk.usage) kind += '+usage';
  const keys = (object: Json | undefined) =>
    Object.keys(object ?? {})
      .sort()
      .join(',');
  return `${kind} {${keys(chunk)}} {${keys(choice)}} {${keys(delta)}}`;
}

/** The sequence of shapes, runs of the same shape written once. */
function shapes(text: string): string[] {
  return dataEvents(text)
    .map(shapeOf)
    .filter((shape, index, all) => shape !== all[index - 1]);
}

function chatBody(maxTokens: number) {
  return JSON.stringify({
    model: 'sim-llama-8b',
    messages: [{ role: 'user', content: 'Say something.' }],
    max_tokens: maxTokens,
    ignore_eos: true,
    stream: true,
    stream_options: { include_usage: true },
  });
}

/** One line of record-requests: the record with its ITL gaps counted, not listed. */
type LoggedRecord = Omit<RequestRecord, 'itlMs'> & { itlCount: number };

const workspace = mkdtempSync(join(tmpdir(), 'flavors-'));

/**
 * Runs the real engine (mode report) and returns the results and the per-request records. One
 * request at a time unless `concurrency` says otherwise: records then pair with the server's log
 * by position.
 */
async function measure(
  endpoint: string,
  model: string,
  name: string,
  headers = '',
  concurrency = 1,
): Promise<{ results: RunResults; records: LoggedRecord[] }> {
  const recordPath = join(workspace, `${name}.jsonl`);
  const values: Partial<Record<InputName, string>> = {
    endpoint,
    model,
    // Short answers (up to 32 tokens): the stream's shape is under test, not its length.
    'prompt-mix': resolve('test/fixtures/mixes/fast.yaml'),
    mode: 'report',
    requests: '3',
    'warmup-requests': '0',
    concurrency: String(concurrency),
    'results-path': join(workspace, `${name}.json`),
    'record-requests': recordPath,
    headers,
  };
  const quiet = () => undefined;
  const outcome = await run(
    parseConfig((input) => values[input]),
    { cwd: process.cwd(), env: {}, event: {}, log: quiet, warn: quiet },
  );
  const records = readFileSync(recordPath, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LoggedRecord);
  return { results: outcome.results, records };
}

const hasEstimateWarning = (results: RunResults) =>
  results.warnings.some((warning) => warning.code === 'estimated-tokens');

describe('the corpus of real streams', () => {
  it('has a transcript and its implied figures for every flavor', () => {
    for (const flavor of FLAVOR_NAMES) {
      const facts = implied(flavor);
      const events = dataEvents(transcript(flavor));
      expect(facts.source.length, flavor).toBeGreaterThan(20);
      expect(events.includes('[DONE]'), flavor).toBe(facts.done);
      expect(transcript(flavor).includes('\r\n'), flavor).toBe(facts.lineEnd === 'crlf');
      // The implied figures agree with the transcript itself.
      const shapesOf = events.map(shapeOf);
      const carriesText = (shape: string) => /^(text|reasoning)/.test(shape);
      expect(shapesOf.findIndex(carriesText), flavor).toBe(facts.firstTextEvent);
      expect(shapesOf.filter(carriesText).length, flavor).toBe(facts.textEvents);
      const usage = events
        .map((event) => (event as Json).usage as { completion_tokens: number } | undefined)
        .find(Boolean);
      expect(usage?.completion_tokens ?? null, flavor).toBe(facts.usage?.completion_tokens ?? null);
    }
  });
});

describe('our client reads every transcript as recorded', () => {
  /** Time before the first text event. */
  const GAP_MS = 60;
  /**
   * Then before the first output (non-reasoning) event: long enough that a busy client cannot
   * read both in one chunk and stamp them alike.
   */
  const OUTPUT_GAP_MS = 250;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const flavor = /^\/(?<flavor>[\w-]+)\/v1\/chat\/completions$/.exec(req.url ?? '')?.groups
        ?.flavor as FlavorName | undefined;
      if (!flavor || !FLAVOR_NAMES.includes(flavor)) {
        res.writeHead(404).end();
        return;
      }
      req.resume();
      void replay(res, flavor);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Writes the transcript's bytes event by event, pausing before the first text and output. */
  async function replay(res: ServerResponse, flavor: FlavorName) {
    const facts = implied(flavor);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const separator = facts.lineEnd === 'crlf' ? '\r\n\r\n' : '\n\n';
    const blocks = transcript(flavor).split(separator).filter(Boolean);
    let dataIndex = 0;
    for (const block of blocks) {
      const isData = block.startsWith('data:');
      if (isData && dataIndex === facts.firstTextEvent) await delay(GAP_MS);
      if (isData && dataIndex === facts.reasoning?.firstOutputEvent) await delay(OUTPUT_GAP_MS);
      res.write(`${block}${separator}`);
      res.socket?.uncork();
      if (isData) dataIndex++;
    }
    res.end();
  }

  it.each(FLAVOR_NAMES)('%s', async (flavor) => {
    const facts = implied(flavor);
    // The three requests side by side: each waits out the pauses of its own replay.
    const { results, records } = await measure(
      `${baseUrl}/${flavor}/v1`,
      'm',
      `replay-${flavor}`,
      '',
      3,
    );
    expect(results.summary.failed).toBe(0);
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(record.ok, record.errorMessage).toBe(true);
      // TTFT waits for the first text-carrying event, past role, null and empty-choices chunks.
      expect(record.ttftMs).toBeGreaterThanOrEqual(GAP_MS);
      expect(record.textEvents).toBe(facts.textEvents);
      expect(record.itlCount).toBe(facts.textEvents - 1);
      expect(record.e2eMs).toBeGreaterThanOrEqual(record.ttftMs ?? Infinity);
      if (facts.usage) {
        expect(record.outputTokens).toBe(facts.usage.completion_tokens);
        expect(record.outputTokensEstimated).toBe(false);
      } else {
        expect(record.outputTokensEstimated).toBe(true);
      }
      if (facts.reasoning) {
        // Time to first output: the first non-reasoning text, later than the first reasoning.
        expect(record.ttfoMs).toBeGreaterThanOrEqual(GAP_MS + OUTPUT_GAP_MS);
        expect(record.ttfoMs).toBeGreaterThan(record.ttftMs ?? Infinity);
      }
    }
    expect(hasEstimateWarning(results)).toBe(facts.usage === null);
  });
});

/** llama.cpp's habit: `Connection: keep-alive` on the answer, then the socket closes anyway. */
async function expectClosedAfterResponse(url: string): Promise<void> {
  const agent = new Agent({ keepAlive: true });
  try {
    const { closed } = await new Promise<{ closed: Promise<unknown> }>((resolve, reject) => {
      const req = request(
        `${url}/chat/completions`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          expect(res.headers.connection).toBe('keep-alive');
          const socketClosed = once(res.socket, 'close');
          res.resume();
          res.once('end', () => resolve({ closed: socketClosed }));
        },
      );
      req.once('error', reject);
      req.end(chatBody(4));
    });
    // Node's server would close an idle kept-alive socket after 5 s; this one must go at once.
    const idleTimeout = delay(2500).then(() => 'still open after 2.5 s');
    expect(await Promise.race([closed.then(() => 'closed'), idleTimeout])).toBe('closed');
  } finally {
    agent.destroy();
  }
}

describe('simulator --flavor serves each shape', () => {
  it('takes its server timing from the flavor; explicit options win', () => {
    expect(resolveOptions({ flavor: 'llama-cpp' }).decodeStepMs).toBe(
      FLAVORS['llama-cpp'].timing.decodeStepMs,
    );
    expect(resolveOptions({ flavor: 'openai' }).prefillBaseMs).toBe(
      FLAVORS.openai.timing.prefillBaseMs,
    );
    expect(resolveOptions({ flavor: 'llama-cpp', decodeStepMs: 1 }).decodeStepMs).toBe(1);
    expect(() => resolveOptions({ flavor: 'vllm', faults: { breakMidstream: 0.1 } })).toThrow(
      /faults acting mid-stream \(breakMidstream\)/,
    );
  });

  /** Fast engine timing: the shape is under test here, not the flavor's speed. */
  const FAST = { decodeStepMs: 1, prefillBaseMs: 2, prefillMsPerToken: 0, jitter: 0 };

  it.each(FLAVOR_NAMES)('%s', async (flavor) => {
    const facts = implied(flavor);
    const shape = FLAVORS[flavor];
    const simulator = await startSimulator({ flavor, ...FAST });
    try {
      const response = await fetch(`${simulator.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chatBody(12),
      });
      const text = await response.text();
      // The same sequence of event shapes as the transcript, field names included.
      expect(shapes(text)).toEqual(shapes(transcript(flavor)));
      expect(text.includes('\r\n'), 'line ends').toBe(facts.lineEnd === 'crlf');
      expect(response.headers.get('connection')).toBe('keep-alive');
      if (facts.closesConnection) await expectClosedAfterResponse(simulator.url);

      simulator.resetStats();
      // A server that closes after each response while advertising keep-alive: the client
      // retries a request that met the closing socket on a fresh connection, so nothing fails.
      const { results, records } = await measure(
        simulator.url,
        'sim-llama-8b',
        `sim-${flavor}`,
        '',
      );
      expect(results.summary.failed).toBe(0);
      // Only the responses that were written in full: a request that met a closing socket and
      // was retried may have left a cut entry behind.
      const served = simulator
        .stats()
        .log.filter(
          (entry) => entry.path === '/v1/chat/completions' && entry.endAtMs !== undefined,
        );
      expect(records).toHaveLength(3);
      records.forEach((record, position) => {
        const tokens = served[position]?.outputTokens ?? 0;
        expect(record.ok, record.errorMessage).toBe(true);
        expect(record.ttftMs).toBeGreaterThan(0);
        // llama.cpp holds back a token that ends inside a character: fewer events than tokens.
        const heldBack = shape.heldBackEvery ? Math.floor((tokens - 1) / shape.heldBackEvery) : 0;
        expect(record.textEvents).toBe(tokens - heldBack);
        if (facts.usage) {
          expect(record.outputTokens).toBe(tokens);
          expect(record.outputTokensEstimated).toBe(false);
        } else {
          expect(record.outputTokensEstimated).toBe(true);
        }
        // Steps of a millisecond may arrive together: equal stamps are fine here (the replay
        // above proves the order with a long gap).
        if (facts.reasoning)
          expect(record.ttfoMs).toBeGreaterThanOrEqual(record.ttftMs ?? Infinity);
      });
      expect(hasEstimateWarning(results)).toBe(facts.usage === null);
    } finally {
      await simulator.close();
    }
  });
});
