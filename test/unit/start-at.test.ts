import { describe, expect, it } from 'vitest';
import { parseMeasureConfig } from '../../src/config/parse.js';
import { InputError } from '../../src/errors.js';
import { parseStartAt, waitForStartAt } from '../../src/load/start-at.js';

const NOW = Date.parse('2026-11-27T16:00:00Z');
const now = () => NOW;

describe('start-at', () => {
  it('reads ISO 8601 times and epoch seconds', () => {
    expect(parseStartAt('start-at', '2026-11-27T16:02:00Z', now)).toBe(NOW + 120_000);
    expect(parseStartAt('start-at', '2026-11-27T17:02:00+01:00', now)).toBe(NOW + 120_000);
    expect(parseStartAt('start-at', String(NOW / 1000 + 90), now)).toBe(NOW + 90_000);
    expect(parseStartAt('start-at', `${NOW / 1000}.5`, now)).toBe(NOW + 500);
  });

  it.each([
    ['tomorrow', /start-at must be an ISO 8601 time .* got "tomorrow"/],
    ['2026-13-45T99:00:00Z', /start-at must be an ISO 8601 time/],
    [String(NOW), /more than 6 h away \(epoch milliseconds instead of seconds\?\)/],
  ])('a bad value %s is one line naming the input', (raw, message) => {
    expect(() => parseStartAt('start-at', raw, now)).toThrow(InputError);
    expect(() => parseStartAt('start-at', raw, now)).toThrow(message);
  });

  it('is part of the config', () => {
    const inputs: Record<string, string> = {
      endpoint: 'http://127.0.0.1:1/v1',
      model: 'm',
      'start-at': '2026-11-27T16:02:00Z',
    };
    const config = parseMeasureConfig((name) => inputs[name]);
    expect(config.startAtEpochMs).toBe(NOW + 120_000);
  });

  it('waits until the time, and a time well in the past is a warning', async () => {
    const logs: string[] = [];
    const warnings: string[] = [];
    const hooks = { log: (l: string) => logs.push(l), warn: (l: string) => warnings.push(l) };
    const target = Date.now() + 150;
    await waitForStartAt(target, hooks);
    expect(Date.now()).toBeGreaterThanOrEqual(target - 5);
    expect(logs.join('\n')).toMatch(/start-at: waiting 0\.\d s until/);

    await waitForStartAt(Date.now() - 2_000, hooks);
    expect(warnings).toEqual([]);
    await waitForStartAt(Date.now() - 30_000, hooks);
    expect(warnings.join('\n')).toMatch(/start-at .* was 30\.0 s ago: starting now/);
  });

  it('stops waiting when the run is cancelled', async () => {
    const controller = new AbortController();
    const waiting = waitForStartAt(Date.now() + 3_600_000, {
      log: () => {},
      signal: controller.signal,
    });
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
