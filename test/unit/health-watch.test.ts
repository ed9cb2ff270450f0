import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/client/types.js';
import type { ErrorClass } from '../../src/domain/request.js';
import { HEALTH_RULES, HealthWatch } from '../../src/load/health.js';

function record(
  index: number,
  failure?: { errorClass: ErrorClass; message: string },
): RequestRecord {
  return {
    index,
    className: 'chat',
    ok: failure === undefined,
    ...(failure ? { errorClass: failure.errorClass, errorMessage: failure.message } : {}),
    startMs: index,
    scheduleDelayMs: 0,
    e2eMs: 10,
    itlMs: [],
    outputTokens: failure ? 0 : 16,
    outputTokensEstimated: false,
    tokenCounting: 'usage',
    textEvents: failure ? 0 : 16,
    maxTokens: 16,
  };
}

describe('HealthWatch', () => {
  it('a server that dies mid-run: the example and the hint follow the class that failed most', () => {
    const watch = new HealthWatch({ wave: 4, secrets: [] });
    let index = 0;
    for (; index < 100; index++) watch.record(record(index));
    // A model that stopped at once before the server died: a different, rarer failure.
    watch.record(record(index++, { errorClass: 'empty', message: 'no generated text' }));
    for (let dead = 0; dead < HEALTH_RULES.window; dead++) {
      watch.record(record(index++, { errorClass: 'connect', message: 'ECONNREFUSED' }));
    }
    expect(watch.hopeless).toBe(true);
    const verdict = watch.verdict('measured');
    expect(verdict.reason).toBe(
      `${HEALTH_RULES.window} of the last ${HEALTH_RULES.window} measured requests failed (connect ×${HEALTH_RULES.window}, empty ×1); first: ECONNREFUSED`,
    );
    expect(verdict.hint).toMatch(/that the server is up/);
  });

  it('names what to check for cut streams and empty answers', () => {
    const hintOf = (errorClass: ErrorClass) => {
      const watch = new HealthWatch({ wave: 2, secrets: [] });
      watch.record(record(0, { errorClass, message: 'x' }));
      watch.record(record(1, { errorClass, message: 'x' }));
      return watch.verdict('warm-up').hint;
    };
    expect(hintOf('midstream')).toMatch(/server's logs/);
    expect(hintOf('empty')).toMatch(/chat template/);
    expect(hintOf('protocol')).toMatch(/not OpenAI-style streams/);
  });

  it('tells a timeout before headers, before the first token and mid-stream apart', () => {
    const hintOf = (stage: Partial<RequestRecord>) => {
      const watch = new HealthWatch({ wave: 1, secrets: [] });
      watch.record({ ...record(0, { errorClass: 'timeout', message: 'x' }), ...stage });
      return watch.verdict('warm-up').hint;
    };
    expect(hintOf({})).toMatch(/did not answer within timeout: is it up and serving\?/);
    expect(hintOf({ ttfbMs: 3 })).toMatch(/answered but generated nothing within timeout/);
    expect(hintOf({ ttfbMs: 3, ttftMs: 40, textEvents: 5 })).toMatch(/^Streams stalled part-way/);
  });
});
