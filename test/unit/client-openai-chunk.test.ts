import { describe, expect, it } from 'vitest';
import { errorEventFailure, interpretEvent } from '../../src/client/openai-chunk.js';

const event = (value: unknown) => interpretEvent(JSON.stringify(value));

describe('what an OpenAI stream event means', () => {
  it('[DONE] ends the stream', () => {
    expect(interpretEvent('[DONE]')).toBe('done');
  });

  it('content, completion text, reasoning_content and reasoning carry text', () => {
    expect(event({ choices: [{ delta: { content: 'Hi' } }] })).toMatchObject({
      texts: [{ output: true, text: 'Hi' }],
    });
    expect(event({ choices: [{ text: 'Hi', index: 0 }] })).toMatchObject({
      texts: [{ output: true, text: 'Hi' }],
    });
    expect(event({ choices: [{ delta: { reasoning_content: 'think' } }] })).toMatchObject({
      texts: [{ output: false, text: 'think' }],
    });
    expect(event({ choices: [{ delta: { reasoning: 'think' } }] })).toMatchObject({
      texts: [{ output: false, text: 'think' }],
    });
  });

  it('a role-only chunk, null or empty content and empty choices carry no text', () => {
    for (const chunk of [
      { choices: [{ delta: { role: 'assistant', content: '' } }] },
      { choices: [{ delta: { content: null } }] },
      { choices: [{ delta: {} }] },
      { choices: [], prompt_filter_results: [{ prompt_index: 0 }] },
      { choices: [null] },
    ]) {
      expect(event(chunk)).toEqual({ texts: [] });
    }
  });

  it('a usage-only final chunk gives the token counts and the fingerprint', () => {
    expect(
      event({
        choices: [],
        usage: { prompt_tokens: 5, completion_tokens: 7 },
        system_fingerprint: 'fp_1',
      }),
    ).toEqual({ texts: [], usageTokens: 7, promptTokens: 5, systemFingerprint: 'fp_1' });
    expect(event({ choices: [], usage: null })).toEqual({ texts: [] });
  });

  it('finish_reason is kept, with or without text', () => {
    expect(event({ choices: [{ delta: {}, finish_reason: 'length' }] })).toEqual({
      texts: [],
      finishReason: 'length',
    });
  });

  it('malformed events are protocol errors', () => {
    expect(interpretEvent('{"choices": [')).toMatchObject({
      failure: { errorClass: 'protocol', message: expect.stringMatching(/unparsable event/) },
    });
    for (const data of ['42', 'null', '"text"', '[1]']) {
      expect(interpretEvent(data)).toMatchObject({ failure: { errorClass: 'protocol' } });
    }
  });

  it.each([
    [{ error: { type: 'rate_limit_error', message: 'slow down' } }, 'http_429'],
    [{ error: { code: 'rate_limit_exceeded', message: 'Rate limit reached' } }, 'http_429'],
    [{ error: { code: 429, message: 'Too many requests' } }, 'http_429'],
    [{ error: { type: 'too_many_requests' } }, 'http_429'],
    [{ error: { type: 'server_error', message: 'the model crashed' } }, 'midstream'],
    [{ error: 'plain text error' }, 'midstream'],
    [{ error: { message: 'rate limit words only in the message' } }, 'midstream'],
  ] as const)('error event %j → %s', (chunk, errorClass) => {
    expect(event(chunk)).toMatchObject({ failure: { errorClass }, texts: [] });
  });

  it('an error event message names its type and says what the server said', () => {
    expect(errorEventFailure({ type: 'rate_limit_error', message: 'slow\n down' }).message).toBe(
      'error event (rate_limit_error): slow down',
    );
    expect(errorEventFailure('x'.repeat(500)).message.length).toBeLessThan(230);
  });
});
