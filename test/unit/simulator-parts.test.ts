import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/random.js';
import { chooseFault } from '../../src/simulator/faults.js';
import { planGeneration } from '../../src/simulator/generation.js';
import { HttpError } from '../../src/simulator/http.js';
import { RequestLog } from '../../src/simulator/request-log.js';
import { DEFAULT_MAX_TOKENS, parseCompletionRequest } from '../../src/simulator/request.js';
import type { SimulatorRequestLog } from '../../src/simulator/types.js';

describe('parseCompletionRequest', () => {
  it('estimates input tokens as ceil(chars / 4) over all message text', () => {
    const request = parseCompletionRequest('chat', {
      messages: [
        { role: 'system', content: 'abcd' },
        { role: 'user', content: [{ type: 'text', text: 'efgh' }] },
      ],
    });
    // 'abcd' + '\n' + 'efgh' = 9 characters.
    expect(request).toMatchObject({ inputTokens: 3, maxTokens: DEFAULT_MAX_TOKENS, stream: false });
  });

  it('counts token-id prompts exactly and prefers max_completion_tokens', () => {
    const request = parseCompletionRequest('completions', {
      prompt: [1, 2, 3, 4, 5],
      max_tokens: 10,
      max_completion_tokens: 7,
    });
    expect(request).toMatchObject({ inputTokens: 5, maxTokens: 7 });
  });

  it('rejects wrong shapes with a 400 naming the field', () => {
    const attempt = (body: unknown) => () => parseCompletionRequest('chat', body);
    expect(attempt([])).toThrow(HttpError);
    expect(attempt({ messages: 'hi' })).toThrow(/messages/);
    expect(attempt({ messages: [{ content: 'x' }], stream: 'yes' })).toThrow(/stream/);
    expect(attempt({ messages: [{ content: 'x' }], max_tokens: 4, min_tokens: 5 })).toThrow(
      /min_tokens/,
    );
  });
});

describe('planGeneration', () => {
  const request = parseCompletionRequest('chat', {
    messages: [{ content: 'x' }],
    max_tokens: 10,
    min_tokens: 8,
  });
  const options = { outputTokens: 'random', honorIgnoreEos: true, reasoningTokens: 0 } as const;

  it('honours min_tokens and reports why it stopped', () => {
    const random = createRandom(3);
    for (let i = 0; i < 50; i++) {
      const generation = planGeneration(request, options, random);
      expect(generation.outputTokens).toBeGreaterThanOrEqual(8);
      expect(generation.outputTokens).toBeLessThanOrEqual(10);
      expect(generation.finishReason).toBe(generation.outputTokens === 10 ? 'length' : 'stop');
    }
  });

  it('caps reasoning tokens at the output length', () => {
    const generation = planGeneration(
      { ...request, ignoreEos: true },
      { ...options, reasoningTokens: 50 },
      createRandom(1),
    );
    expect(generation).toEqual({ outputTokens: 10, reasoningTokens: 10, finishReason: 'length' });
  });
});

describe('chooseFault', () => {
  it('draws faults at their probabilities, at most one per request', () => {
    const random = createRandom(5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const fault = chooseFault({ http429: 0.1, breakMidstream: 0.2 }, true, random) ?? 'none';
      counts.set(fault, (counts.get(fault) ?? 0) + 1);
    }
    expect(counts.get('http429')! / 10_000).toBeCloseTo(0.1, 1);
    expect(counts.get('breakMidstream')! / 10_000).toBeCloseTo(0.2, 1);
    expect(counts.get('none')! / 10_000).toBeCloseTo(0.7, 1);
  });

  it('drops stream-only faults for non-stream requests', () => {
    expect(chooseFault({ slowLoris: 1 }, false, createRandom(1))).toBeUndefined();
    expect(chooseFault({ http503: 1 }, false, createRandom(1))).toBe('http503');
  });
});

describe('RequestLog', () => {
  it('keeps only the most recent entries, oldest first', () => {
    const log = new RequestLog(3);
    const entry = (n: number): SimulatorRequestLog => ({
      receivedAtMs: n,
      outputTokens: 0,
      inputTokens: 0,
      status: 200,
      path: '/v1/models',
    });
    for (let n = 1; n <= 5; n++) log.add(entry(n));
    expect(log.list().map((e) => e.receivedAtMs)).toEqual([3, 4, 5]);
    log.clear();
    expect(log.list()).toEqual([]);
  });
});
