import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StreamClient } from '../../src/client/stream-client.js';
import { loadTokenCounter } from '../../src/client/token-count.js';
import { plannedChat } from '../helpers/client.js';
import { trackServers } from '../helpers/loopback.js';

const TOKENIZER = fileURLToPath(new URL('../fixtures/tokenizer/tokenizer.json', import.meta.url));

const servers = trackServers();

/** A server that streams the given event payloads, then [DONE]. */
async function streaming(events: unknown[]): Promise<string> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of events) response.write(`data: ${JSON.stringify(event)}\n\n`);
      response.end('data: [DONE]\n\n');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

async function sendOne(endpoint: string, tokenizerPath?: string) {
  const client = new StreamClient({
    endpoint,
    api: 'chat',
    model: 'test',
    headers: {},
    connections: 1,
    timeoutMs: 5000,
    ...(tokenizerPath ? { tokenizer: await loadTokenCounter(tokenizerPath) } : {}),
  });
  try {
    return await client.send(plannedChat(), { scheduleDelayMs: 0 });
  } finally {
    await client.close();
  }
}

const delta = (content: string, extra: object = {}) => ({
  choices: [{ delta: { content }, ...extra }],
});

/** Many tokens per event and no usage, as @dwmkerr/mock-llm streams. */
const MANY_PER_EVENT = [
  { choices: [{ delta: { role: 'assistant' } }] },
  delta('Hello world, the quick fox. '),
  delta('Hello, hello world! The quick fox.', { finish_reason: 'stop' }),
];
const TEXT = 'Hello world, the quick fox. Hello, hello world! The quick fox.';

describe('output tokens without usage are counted from the text, never from events', () => {
  it('estimates from characters (≈4 per token) and marks the figure estimated', async () => {
    const record = await sendOne(await streaming(MANY_PER_EVENT));
    expect(record.ok).toBe(true);
    expect(record.textEvents).toBe(2);
    expect(record.tokenCounting).toBe('characters');
    expect(record.outputTokensEstimated).toBe(true);
    expect(record.outputTokens).toBe(Math.ceil(TEXT.length / 4));
  });

  it('counts exactly with a tokenizer.json', async () => {
    const record = await sendOne(await streaming(MANY_PER_EVENT), TOKENIZER);
    expect(record.ok).toBe(true);
    expect(record.tokenCounting).toBe('tokenizer');
    expect(record.outputTokensEstimated).toBe(false);
    // hello world , the quick fox . hello , hello world ! the quick fox .
    expect(record.outputTokens).toBe(16);
  });

  it('counts reasoning text too: servers count it in completion_tokens', async () => {
    const record = await sendOne(
      await streaming([
        { choices: [{ delta: { reasoning_content: 'the fox' } }] },
        delta('hello world', { finish_reason: 'stop' }),
      ]),
      TOKENIZER,
    );
    expect(record.outputTokens).toBe(4);
  });

  it("the server's usage wins over both", async () => {
    const record = await sendOne(
      await streaming([
        ...MANY_PER_EVENT,
        { choices: [], usage: { prompt_tokens: 3, completion_tokens: 21 } },
      ]),
      TOKENIZER,
    );
    expect(record).toMatchObject({ outputTokens: 21, tokenCounting: 'usage' });
    expect(record.outputTokensEstimated).toBe(false);
  });

  it('a tokenizer path that does not hold a tokenizer.json is an input error', async () => {
    await expect(loadTokenCounter('/nonexistent/tokenizer.json')).rejects.toThrow(
      /^tokenizer \/nonexistent\/tokenizer\.json could not be read: ENOENT$/,
    );
    await expect(loadTokenCounter('package.json')).rejects.toThrow(
      /^tokenizer package\.json is not a Hugging Face tokenizer\.json \(/,
    );
  });
});

describe('error events inside a 200 stream', () => {
  it.each([
    [{ error: { type: 'rate_limit_error', message: 'Rate limit hit, retry in 2s' } }, 'http_429'],
    [{ error: { code: 'rate_limit_exceeded', message: 'Too many tokens' } }, 'http_429'],
    [{ error: { type: 'server_error', message: 'CUDA out of memory' } }, 'midstream'],
  ])('%j after some text → %s', async (errorEvent, errorClass) => {
    const record = await sendOne(await streaming([delta('Hello'), errorEvent]));
    expect(record).toMatchObject({ ok: false, errorClass });
    expect(record.errorMessage).toContain(errorEvent.error.message);
  });
});
