import { afterEach, describe, expect, it } from 'vitest';
import {
  type Simulator,
  type SimulatorFaults,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.js';

let simulator: Simulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

/** Deterministic and quicker than the defaults, so the file runs in a few seconds. */
async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  simulator = await startSimulator({ jitter: 0, prefillBaseMs: 2, decodeStepMs: 1, ...options });
  return simulator;
}

const chatBody = (extra: Record<string, unknown> = {}) => ({
  model: 'sim-llama-8b',
  messages: [{ role: 'user', content: 'Say something about the weather today.' }],
  max_tokens: 8,
  stream: true,
  ...extra,
});

function post(
  sim: Simulator,
  path: string,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

/** The `data:` payloads of an SSE body, in order. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

interface Chunk {
  id: string;
  object: string;
  system_fingerprint: string;
  choices: {
    text?: string;
    delta?: { role?: string; content?: string | null; reasoning_content?: string };
    finish_reason: string | null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function chunksOf(text: string): Chunk[] {
  return sseData(text)
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as Chunk);
}

function textChunks(chunks: Chunk[]): Chunk[] {
  return chunks.filter((chunk) => {
    const choice = chunk.choices[0];
    return Boolean(choice?.delta?.content || choice?.delta?.reasoning_content || choice?.text);
  });
}

async function streamChat(sim: Simulator, extra: Record<string, unknown> = {}) {
  const res = await post(sim, '/chat/completions', chatBody(extra));
  const text = await res.text();
  return { res, text, chunks: chunksOf(text) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(2);
  }
}

describe('simulator: protocol', () => {
  it('streams chat like vLLM: role chunk, one token per event, finish_reason, usage, [DONE]', async () => {
    const sim = await start();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const { res, text, chunks } = await streamChat(sim, {
      max_tokens: 6,
      ignore_eos: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('server')).toBe('llm-perf-gate-simulator');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);

    const [role, ...rest] = chunks;
    expect(role?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const tokens = textChunks(rest);
    expect(tokens).toHaveLength(6);
    expect(tokens.slice(0, -1).every((chunk) => chunk.choices[0]?.finish_reason === null)).toBe(
      true,
    );
    expect(tokens.at(-1)?.choices[0]?.finish_reason).toBe('length');
    for (const chunk of chunks) {
      expect(chunk.id).toMatch(/^chatcmpl-/);
      expect(chunk.id).toBe(role?.id);
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.system_fingerprint).toBe('fp_sim_1');
    }
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    const promptTokens = Math.ceil('Say something about the weather today.'.length / 4);
    expect(usageChunk?.usage).toEqual({
      prompt_tokens: promptTokens,
      completion_tokens: 6,
      total_tokens: promptTokens + 6,
    });
  });

  it('streams completions with choices[0].text', async () => {
    const sim = await start();
    const res = await post(sim, '/completions', {
      prompt: 'Once upon a time',
      max_tokens: 5,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = chunksOf(await res.text());
    const tokens = textChunks(chunks);
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(tokens.length).toBeLessThanOrEqual(5);
    for (const chunk of tokens) {
      expect(chunk.object).toBe('text_completion');
      expect(chunk.id).toMatch(/^cmpl-/);
      expect(typeof chunk.choices[0]?.text).toBe('string');
    }
    expect(['stop', 'length']).toContain(tokens.at(-1)?.choices[0]?.finish_reason);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(tokens.length);
  });

  it('keeps within max_tokens, and ignore_eos or min_tokens give exactly max_tokens', async () => {
    const sim = await start();
    const randomLengths: number[] = [];
    for (let i = 0; i < 8; i++) {
      randomLengths.push(textChunks((await streamChat(sim, { max_tokens: 20 })).chunks).length);
    }
    expect(Math.min(...randomLengths)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...randomLengths)).toBeLessThanOrEqual(20);
    expect(new Set(randomLengths).size).toBeGreaterThan(1);

    const ignoreEos = await streamChat(sim, { max_tokens: 20, ignore_eos: true });
    expect(textChunks(ignoreEos.chunks)).toHaveLength(20);
    const minTokens = await streamChat(sim, { max_completion_tokens: 12, min_tokens: 12 });
    expect(textChunks(minTokens.chunks)).toHaveLength(12);
  });

  it("simulates a server that ignores ignore_eos, and 'max' mode", async () => {
    const ignoring = await start({ honorIgnoreEos: false });
    const lengths: number[] = [];
    for (let i = 0; i < 8; i++) {
      lengths.push(
        textChunks((await streamChat(ignoring, { max_tokens: 20, ignore_eos: true })).chunks)
          .length,
      );
    }
    expect(lengths.some((length) => length < 20)).toBe(true);
    await ignoring.close();

    const always = await start({ outputTokens: 'max' });
    expect(textChunks((await streamChat(always, { max_tokens: 15 })).chunks)).toHaveLength(15);
  });

  it('sends no usage chunk unless asked for and allowed', async () => {
    const sim = await start();
    const { chunks } = await streamChat(sim);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    await sim.close();

    const withoutUsage = await start({ sendUsage: false });
    const asked = await streamChat(withoutUsage, { stream_options: { include_usage: true } });
    expect(asked.chunks.some((chunk) => chunk.usage)).toBe(false);
  });

  it('answers stream:false with one JSON completion', async () => {
    const sim = await start();
    const res = await post(
      sim,
      '/chat/completions',
      chatBody({ stream: false, max_tokens: 4, ignore_eos: true }),
    );
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as {
      object: string;
      choices: { message: { role: string; content: string }; finish_reason: string }[];
      usage: { completion_tokens: number };
    };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]?.message.role).toBe('assistant');
    expect(body.choices[0]?.message.content.trim().split(' ')).toHaveLength(4);
    expect(body.choices[0]?.finish_reason).toBe('length');
    expect(body.usage.completion_tokens).toBe(4);
  });

  it('emits reasoning_content first, and llama.cpp-style null first chunks', async () => {
    const reasoning = await start({ reasoningTokens: 2 });
    const { chunks } = await streamChat(reasoning, { max_tokens: 5, ignore_eos: true });
    const deltas = textChunks(chunks).map((chunk) => chunk.choices[0]?.delta);
    expect(deltas.slice(0, 2).every((delta) => delta?.reasoning_content)).toBe(true);
    expect(deltas.slice(2).every((delta) => delta?.content)).toBe(true);
    await reasoning.close();

    const llamaCpp = await start({ nullContentFirstChunk: true });
    const first = (await streamChat(llamaCpp)).chunks[0];
    expect(first?.choices[0]?.delta).toEqual({ role: 'assistant', content: null });
    await llamaCpp.close();

    const noRole = await start({ roleChunkFirst: false });
    const firstToken = (await streamChat(noRole)).chunks[0];
    expect(firstToken?.choices[0]?.delta?.content).toMatch(/\S/);
  });

  it('lists the model, rejects a wrong key, bad JSON, unknown paths and other models', async () => {
    const sim = await start({ apiKey: 'sk-right', model: 'my-model' });
    const auth = { authorization: 'Bearer sk-right' };
    const models = await fetch(`${sim.url}/models`, { headers: auth });
    expect(await models.json()).toMatchObject({ object: 'list', data: [{ id: 'my-model' }] });

    const wrongKey = await post(sim, '/chat/completions', chatBody(), {
      headers: { authorization: 'Bearer sk-wrong' },
    });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect((await post(sim, '/chat/completions', chatBody())).status).toBe(401);

    const badJson = await post(sim, '/chat/completions', '{"messages": [', { headers: auth });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { message: expect.any(String) } });
    const badField = await post(sim, '/chat/completions', chatBody({ max_tokens: 0 }), {
      headers: auth,
    });
    expect(badField.status).toBe(400);

    const unknown = await fetch(`${sim.url}/embeddings`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { message: expect.any(String) } });

    const otherModel = await post(sim, '/chat/completions', chatBody(), { headers: auth });
    expect(otherModel.status).toBe(404);
    expect(await otherModel.json()).toMatchObject({
      error: { message: 'The model `sim-llama-8b` does not exist.' },
    });

    const ok = await post(sim, '/chat/completions', chatBody({ model: 'my-model' }), {
      headers: auth,
    });
    expect(ok.status).toBe(200);
    await ok.text();
  });

  it('counts requests and keeps a log, and resets it', async () => {
    const sim = await start();
    await streamChat(sim, { max_tokens: 3, ignore_eos: true });
    await (await fetch(`${sim.url}/models`)).text();
    await (await fetch(`${sim.url}/nowhere`)).text();
    await waitFor(() => sim.stats().completed === 3);
    const stats = sim.stats();
    expect(stats.requestsReceived).toBe(3);
    expect(stats).toMatchObject({ running: 0, queued: 0 });
    const [chat, models, unknown] = stats.log;
    expect(chat).toMatchObject({ path: '/v1/chat/completions', status: 200, outputTokens: 3 });
    expect(chat!.firstTokenAtMs).toBeGreaterThan(chat!.receivedAtMs);
    expect(chat!.endAtMs).toBeGreaterThanOrEqual(chat!.firstTokenAtMs!);
    expect(models).toMatchObject({ path: '/v1/models', status: 200 });
    expect(unknown).toMatchObject({ path: '/v1/nowhere', status: 404 });
    sim.resetStats();
    expect(sim.stats()).toMatchObject({ requestsReceived: 0, completed: 0, log: [] });
  });

  it('replays the same output lengths for the same seed', async () => {
    const lengthsFor = async (seed: number) => {
      const sim = await start({ seed });
      const lengths: number[] = [];
      for (let i = 0; i < 5; i++) {
        lengths.push(textChunks((await streamChat(sim, { max_tokens: 30 })).chunks).length);
      }
      await sim.close();
      return lengths;
    };
    expect(await lengthsFor(7)).toEqual(await lengthsFor(7));
  });
});

describe('simulator: faults', () => {
  const withFault = (fault: keyof SimulatorFaults, options: SimulatorOptions = {}) =>
    start({ faults: { [fault]: 1 }, ...options });

  it('answers 429 with Retry-After, 500 and 503 with JSON, 502 with a proxy HTML page', async () => {
    const rateLimited = await withFault('http429', { retryAfterSeconds: 7 });
    const res429 = await post(rateLimited, '/chat/completions', chatBody());
    expect(res429.status).toBe(429);
    expect(res429.headers.get('retry-after')).toBe('7');
    expect(await res429.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect(rateLimited.stats().log[0]).toMatchObject({ fault: 'http429', status: 429 });
    await rateLimited.close();

    for (const [fault, status] of [
      ['http500', 500],
      ['http503', 503],
    ] as const) {
      const sim = await withFault(fault);
      const res = await post(sim, '/chat/completions', chatBody());
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ error: { type: 'server_error' } });
      await sim.close();
    }

    const badGateway = await withFault('http502');
    const res502 = await post(badGateway, '/chat/completions', chatBody());
    expect(res502.status).toBe(502);
    expect(res502.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res502.text()).toContain('502 Bad Gateway');
  });

  it('stallHeaders never sends headers, and close() still resolves at once', async () => {
    const sim = await withFault('stallHeaders');
    const pending = post(sim, '/chat/completions', chatBody()).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => sim.stats().requestsReceived === 1);
    await sleep(100);
    expect(sim.stats().completed).toBe(0);
    const closeStarted = performance.now();
    await sim.close();
    expect(performance.now() - closeStarted).toBeLessThan(1000);
    expect(await pending).toBe('failed');
    expect(sim.stats().log[0]).toMatchObject({ fault: 'stallHeaders', status: 0 });
  });

  it('stallHeaders ends with the server closing the socket after stallMs', async () => {
    const sim = await withFault('stallHeaders', { stallMs: 150 });
    const started = performance.now();
    await expect(post(sim, '/chat/completions', chatBody())).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('stallMidstream sends a few tokens, goes silent, then the server closes', async () => {
    const sim = await withFault('stallMidstream', { stallMs: 300 });
    const res = await post(
      sim,
      '/chat/completions',
      chatBody({ max_tokens: 20, ignore_eos: true }),
    );
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let lastDataAt = performance.now();
    const failure = await (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return 'ended cleanly';
          text += decoder.decode(value, { stream: true });
          lastDataAt = performance.now();
        }
      } catch {
        return 'cut';
      }
    })();
    expect(failure).toBe('cut');
    expect(performance.now() - lastDataAt).toBeGreaterThanOrEqual(250);
    expect(textChunks(chunksOf(text))).toHaveLength(3);
    expect(text).not.toContain('[DONE]');
    expect(sim.stats().running).toBe(0);
  });

  it('breakMidstream destroys the socket in the middle of the body', async () => {
    const sim = await withFault('breakMidstream');
    const res = await post(
      sim,
      '/chat/completions',
      chatBody({ max_tokens: 20, ignore_eos: true }),
    );
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await waitFor(() => sim.stats().completed === 1);
    const [entry] = sim.stats().log;
    expect(entry).toMatchObject({ fault: 'breakMidstream', outputTokens: 3, status: 200 });
    expect(entry?.endAtMs).toBeUndefined();
    expect(sim.stats().running).toBe(0);
  });

  it('malformedEvent puts one unparsable event into an otherwise complete stream', async () => {
    const sim = await withFault('malformedEvent');
    const res = await post(sim, '/chat/completions', chatBody({ max_tokens: 6, ignore_eos: true }));
    const data = sseData(await res.text());
    expect(data.filter((payload) => payload === '{not json')).toHaveLength(1);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data
      .filter((payload) => payload !== '{not json' && payload !== '[DONE]')
      .map((payload) => JSON.parse(payload) as Chunk);
    expect(textChunks(chunks)).toHaveLength(6);
  });

  it('errorEvent sends an error object inside an HTTP 200 stream', async () => {
    const sim = await withFault('errorEvent');
    const res = await post(
      sim,
      '/chat/completions',
      chatBody({ max_tokens: 20, ignore_eos: true }),
    );
    expect(res.status).toBe(200);
    const data = sseData(await res.text());
    const events = data.filter((payload) => payload !== '[DONE]').map((p) => JSON.parse(p));
    const errorEvents = events.filter((event) => 'error' in event);
    expect(errorEvents).toEqual([
      { error: expect.objectContaining({ type: 'server_error', message: expect.any(String) }) },
    ]);
    expect(textChunks(events.filter((event) => !('error' in event)) as Chunk[])).toHaveLength(3);
    await waitFor(() => sim.stats().running === 0);
  });

  it('htmlAnswer and jsonAnswer answer 200 in the wrong shape', async () => {
    const html = await withFault('htmlAnswer');
    const htmlRes = await post(html, '/chat/completions', chatBody());
    expect(htmlRes.status).toBe(200);
    expect(htmlRes.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await htmlRes.text()).toContain('<html>');
    await html.close();

    const json = await withFault('jsonAnswer');
    const jsonRes = await post(json, '/chat/completions', chatBody());
    expect(jsonRes.status).toBe(200);
    expect(jsonRes.headers.get('content-type')).toBe('application/json');
    expect(await jsonRes.json()).toMatchObject({ object: 'chat.completion' });
  });

  it('emptyStream sends only [DONE]', async () => {
    const sim = await withFault('emptyStream');
    const res = await post(sim, '/chat/completions', chatBody());
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(await res.text()).toBe('data: [DONE]\n\n');
  });

  it('hugeEvent sends one event of about a megabyte', async () => {
    const sim = await withFault('hugeEvent');
    const { chunks } = await streamChat(sim, { max_tokens: 6, ignore_eos: true });
    const sizes = textChunks(chunks).map((chunk) => chunk.choices[0]?.delta?.content?.length ?? 0);
    expect(sizes).toHaveLength(6);
    expect(sizes.filter((size) => size >= 1_000_000)).toHaveLength(1);
  });

  it('slowLoris trickles an event one byte at a time', async () => {
    const sim = await withFault('slowLoris');
    const controller = new AbortController();
    const res = await post(sim, '/chat/completions', chatBody(), { signal: controller.signal });
    const reader = res.body!.getReader();
    const arrivals: { at: number; bytes: number }[] = [];
    while (arrivals.length < 4) {
      const { value } = await reader.read();
      arrivals.push({ at: performance.now(), bytes: value?.length ?? 0 });
    }
    controller.abort();
    // The role chunk comes whole; the token event after it byte by byte.
    const trickled = arrivals.slice(2);
    expect(trickled.every((arrival) => arrival.bytes === 1)).toBe(true);
    expect(trickled[1]!.at - trickled[0]!.at).toBeGreaterThanOrEqual(150);
  });

  it('serves non-stream requests normally when the fault needs a stream', async () => {
    const sim = await withFault('breakMidstream');
    const res = await post(sim, '/chat/completions', chatBody({ stream: false }));
    expect(await res.json()).toMatchObject({ object: 'chat.completion' });
    expect(sim.stats().log[0]?.fault).toBeUndefined();
  });
});

describe('simulator: batching engine', () => {
  // The step growing with the batch is timing: test/unit/simulator-engine.test.ts checks it on
  // a manual clock, so no test here depends on how busy the machine is.
  const runConcurrent = (sim: Simulator, concurrency: number, maxTokens: number) =>
    Promise.all(
      Array.from({ length: concurrency }, () =>
        streamChat(sim, { max_tokens: maxTokens, ignore_eos: true }),
      ),
    );

  it('queues requests beyond maxBatch until a running one finishes', async () => {
    const sim = await start({ maxBatch: 2, decodeStepMs: 10 });
    const all = runConcurrent(sim, 6, 10);
    await waitFor(() => sim.stats().requestsReceived === 6 && sim.stats().queued === 4);
    expect(sim.stats().running).toBe(2);
    await all;
    await waitFor(() => sim.stats().completed === 6);
    const log = sim.stats().log;
    const firstEnd = Math.min(...log.map((entry) => entry.endAtMs!));
    const startedAfterFirstEnd = log.filter((entry) => entry.firstTokenAtMs! > firstEnd);
    expect(startedAfterFirstEnd).toHaveLength(4);
  });

  it('frees the batch slot when a client disconnects', async () => {
    const sim = await start({ maxBatch: 1 });
    const controller = new AbortController();
    const res = await post(
      sim,
      '/chat/completions',
      chatBody({ max_tokens: 1000, ignore_eos: true }),
      {
        signal: controller.signal,
      },
    );
    await res.body!.getReader().read();
    expect(sim.stats().running).toBe(1);
    controller.abort();
    await waitFor(() => sim.stats().running === 0);
    const { chunks } = await streamChat(sim, { max_tokens: 3, ignore_eos: true });
    expect(textChunks(chunks)).toHaveLength(3);
  });
});
