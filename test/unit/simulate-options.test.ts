import { describe, expect, it } from 'vitest';
import { parseFaults, simulatorOptionsFromFlags } from '../../src/cli/simulate-options.js';
import { InputError } from '../../src/errors.js';

describe('llm-perf-gate simulate flags', () => {
  it('maps flags to simulator options', () => {
    expect(
      simulatorOptionsFromFlags({
        port: '0',
        'max-batch': '32',
        'decode-step-ms': '2.5',
        'ttft-scale': '1.5',
        faults: 'http500=0.1, breakMidstream=0.05',
      }),
    ).toEqual({
      host: '127.0.0.1',
      port: 0,
      maxBatch: 32,
      decodeStepMs: 2.5,
      ttftScale: 1.5,
      faults: { http500: 0.1, breakMidstream: 0.05 },
    });
  });

  it('rejects an unknown fault or a probability above 1 with one line', () => {
    expect(() => parseFaults('http418=0.1')).toThrow(InputError);
    expect(() => parseFaults('http418=0.1')).toThrow(/unknown fault "http418"/);
    expect(() => parseFaults('http500=2')).toThrow(/probability 0\.\.1/);
  });
});
