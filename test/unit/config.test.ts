import { describe, expect, it } from 'vitest';
import { INPUTS, type InputName } from '../../src/config/inputs.js';
import { parseConfig, parseMeasureConfig, secretsOf } from '../../src/config/parse.js';
import { InputError } from '../../src/errors.js';

function configFrom(values: Partial<Record<InputName, string>>) {
  return parseMeasureConfig((name) => values[name]);
}

const base = { endpoint: 'http://127.0.0.1:8000/v1', model: 'm' } as const;

function errorOf(values: Partial<Record<InputName, string>>): InputError {
  try {
    configFrom(values);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseConfig', () => {
  it('fills defaults for everything optional', () => {
    const config = configFrom(base);
    expect(config).toMatchObject({
      endpoint: 'http://127.0.0.1:8000/v1',
      api: 'chat',
      concurrency: 8,
      requests: 2000,
      stopWhenDecided: true,
      warmupRequests: 10,
      timeoutMs: 60_000,
      seed: 42,
      mode: 'gate',
      comment: 'always',
      failOnRegression: true,
      trials: 1,
      extraBody: {},
    });
    expect(config.requestRate).toBeUndefined();
    expect(config.githubToken).toBeUndefined();
  });

  it('reads durations in every documented form', () => {
    expect(configFrom({ ...base, timeout: '500ms' }).timeoutMs).toBe(500);
    expect(configFrom({ ...base, timeout: '3s' }).timeoutMs).toBe(3000);
    expect(configFrom({ ...base, timeout: '2m' }).timeoutMs).toBe(120_000);
    expect(configFrom({ ...base, timeout: '1.5' }).timeoutMs).toBe(1500);
    expect(configFrom({ ...base, duration: '30s' }).durationMs).toBe(30_000);
  });

  it.each([
    [{ concurrency: 'many' }, 'concurrency', 'concurrency must be a positive integer, got "many"'],
    [{ concurrency: '0' }, 'concurrency', 'concurrency must be a positive integer, got "0"'],
    [{ requests: '1.5' }, 'requests', 'requests must be a positive integer, got "1.5"'],
    [
      { 'request-rate': '-2' },
      'request-rate',
      'request-rate must be a positive number, got the negative number -2',
    ],
    [
      { timeout: '10 parsecs' },
      'timeout',
      'timeout must be a duration like 500ms, 30s, 2m or a number of seconds, got "10 parsecs"',
    ],
    [{ api: 'grpc' }, 'api', 'api must be one of chat, completions, got "grpc"'],
    [
      { mode: 'yolo' },
      'mode',
      'mode must be one of gate, update-baseline, report, merge, got "yolo"',
    ],
    [
      { 'fail-on-regression': 'maybe' },
      'fail-on-regression',
      'fail-on-regression must be true or false, got "maybe"',
    ],
    [
      { 'extra-body': '[1]' },
      'extra-body',
      'extra-body must be a JSON object like {"ignore_eos": true}',
    ],
    [
      { comment: 'loud' },
      'comment',
      'comment must be one of always, on-regression, never, got "loud"',
    ],
    [{ seed: 'abc' }, 'seed', 'seed must be a whole number (0 or more), got "abc"'],
    [{ endpoint: 'ftp://x/v1' }, 'endpoint', 'endpoint must use http or https, got "ftp:"'],
  ] as const)('rejects %o with one line naming the input', (values, input, message) => {
    const error = errorOf({ ...base, ...values });
    expect(error.input).toBe(input);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  it('requires endpoint; model may be left to the endpoint (checked when it answers)', () => {
    expect(errorOf({ model: 'm' }).message).toBe('endpoint is required');
    expect(configFrom({ endpoint: base.endpoint }).model).toBe('');
  });

  it('reads wait-for-endpoint as a duration, off unless given', () => {
    expect(configFrom(base).waitForEndpointMs).toBeUndefined();
    expect(configFrom({ ...base, 'wait-for-endpoint': '1m' }).waitForEndpointMs).toBe(60_000);
    expect(errorOf({ ...base, 'wait-for-endpoint': 'soon' }).input).toBe('wait-for-endpoint');
  });

  it('names the bad JSON in extra-body without echoing it', () => {
    const error = errorOf({ ...base, 'extra-body': '{ignore_eos: true}' });
    expect(error.message).toMatch(/^extra-body is not valid JSON \(/);
    expect(errorOf({ ...base, 'extra-body': '{"top_k": forty}' }).message).not.toContain('forty');
  });

  it('parses headers and never shows their values in errors', () => {
    const config = configFrom({ ...base, headers: 'X-Team: perf\nX-Secret: hunter2hunter2' });
    expect(config.headers).toEqual({ 'X-Team': 'perf', 'X-Secret': 'hunter2hunter2' });
    const error = errorOf({ ...base, headers: 'not a header hunter2hunter2' });
    expect(error.message).not.toContain('hunter2');
    // V8 quotes the text it could not parse: the JSON form must not pass that on.
    const json = errorOf({ ...base, headers: '{"Authorization": Bearer hunter2hunter2}' });
    expect(json.message).toMatch(/^headers is not valid JSON \(/);
    expect(json.message).not.toMatch(/Bearer|hun/);
  });

  it('moves URL credentials into an Authorization header and out of the endpoint', () => {
    const config = configFrom({ ...base, endpoint: 'https://user:s3cr3tpass@example.test/v1' });
    expect(config.endpoint).toBe('https://example.test/v1');
    expect(config.headers.Authorization).toBe(
      `Basic ${Buffer.from('user:s3cr3tpass').toString('base64')}`,
    );
    expect(secretsOf(config)).toContain(config.headers.Authorization);
  });

  it('does not echo credentials of a malformed endpoint', () => {
    const error = errorOf({ ...base, endpoint: 'http://user:s3cr3tpass@' });
    expect(error.message).not.toContain('s3cr3tpass');
  });

  it('keeps credentials of metrics-url out of the URL, as a masked Basic header of its own', () => {
    const config = configFrom({
      ...base,
      'metrics-url': 'http://prom:s3cret-pass@127.0.0.1:8000/metrics',
    });
    expect(config.metricsUrl).toBe('http://127.0.0.1:8000/metrics');
    expect(config.metricsAuthorization).toBe(
      `Basic ${Buffer.from('prom:s3cret-pass').toString('base64')}`,
    );
    expect(config.headers.Authorization).toBeUndefined();
    expect(secretsOf(config)).toContain(config.metricsAuthorization);
    expect(config.metricsIntervalMs).toBe(5000);
  });

  it('treats the API key and token as secrets', () => {
    const config = configFrom({ ...base, 'api-key': 'sk-abcdef', 'github-token': 'ghs_123456' });
    expect(secretsOf(config)).toEqual(expect.arrayContaining(['sk-abcdef', 'ghs_123456']));
  });
});

describe('every input', () => {
  /** A wrong value for each validated input; free-text inputs take any string. */
  const BAD_VALUES: Partial<Record<InputName, string>> = {
    endpoint: 'not a url',
    api: 'grpc',
    concurrency: 'many',
    'request-rate': 'fast',
    arrival: 'sometimes',
    burstiness: '0',
    requests: '-1',
    'stop-when-decided': 'sometimes',
    duration: 'forever',
    'warmup-requests': 'ten',
    timeout: '5 minutes',
    'wait-for-endpoint': 'soon',
    seed: '1.5',
    'extra-body': 'ignore_eos',
    headers: 'no colon here',
    'cache-bust': 'sure',
    mode: 'bench',
    'baseline-source': 's3',
    trials: '0',
    'baseline-trials': 'x',
    'slo-ttft': 'quick',
    'slo-tpot': '-5ms',
    'fail-on-regression': 'yes please',
    'on-low-sensitivity': 'maybe',
    'drift-floor': '5 percent',
    'slo-attainment': 'most',
    'fail-on-missing-baseline': '2',
    comment: 'sometimes',
    shard: '5/4',
    'pr-number': '12; rm -rf /',
    'baseline-max-error-rate': '120%',
    'accept-noisy-baseline': 'perhaps',
    'baseline-history': '0',
    'start-at': 'soon',
    'metrics-url': 'ftp://host/metrics',
    'metrics-interval': 'often',
    'reference-endpoint': 'localhost:8000',
  };
  const FREE_TEXT = new Set<string>([
    'api-key',
    'model',
    // Checked against the reference endpoint itself before warm-up (src/client/reference.ts).
    'reference-api-key',
    'reference-model',
    'hardware',
    'prompt-mix',
    'baseline-dir',
    'thresholds',
    'github-token',
    'results-path',
    'record-requests',
    // A path: read (and its errors named) when the client starts.
    'tokenizer',
    'results-glob',
    'baseline-ref',
  ]);

  it('is either validated here or free text (thresholds and prompt-mix are checked when read)', () => {
    for (const input of INPUTS) {
      expect(input.name in BAD_VALUES || FREE_TEXT.has(input.name), input.name).toBe(true);
    }
  });

  it.each(Object.entries(BAD_VALUES))('%s: a wrong value is one line naming it', (name, value) => {
    const extra = name === 'shard' ? { mode: 'report' } : {};
    const error = errorOf({ ...base, ...extra, [name]: value });
    expect(error.input).toBe(name);
    expect(error.message.startsWith(name)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('shard only goes with mode report', () => {
    expect(errorOf({ ...base, shard: '1/2' }).message).toMatch(/set mode: report with shard/);
    expect(configFrom({ ...base, shard: '2/4', mode: 'report' }).shard).toEqual({
      index: 2,
      count: 4,
    });
  });

  it('pr-number is a pull request number', () => {
    expect(configFrom({ ...base, 'pr-number': ' 12\n' }).prNumber).toBe(12);
    expect(configFrom(base).prNumber).toBeUndefined();
  });

  it("mode merge reads what it judges and writes with; the endpoint and plan are the shards'", () => {
    const inputs: Partial<Record<InputName, string>> = {
      mode: 'merge',
      'results-glob': 'shards/*.json',
      'github-token': 'ghs_merge0123',
    };
    const config = parseConfig((name) => inputs[name]);
    expect(config).toMatchObject({
      mode: 'merge',
      resultsGlob: 'shards/*.json',
      baselineDir: 'baselines',
      failOnRegression: true,
      comment: 'always',
    });
    expect(config).not.toHaveProperty('endpoint');
    expect(config).not.toHaveProperty('concurrency');
    expect(secretsOf(config)).toEqual(['ghs_merge0123']);
    expect(errorOf({ mode: 'merge', shard: '1/2' }).message).toMatch(/set mode: report with shard/);
    expect(() => configFrom({ mode: 'merge' })).toThrow(/^mode merge measures nothing/);
  });

  it('update-baseline runs baseline-trials trials', () => {
    expect(configFrom({ ...base, mode: 'update-baseline' }).trials).toBe(3);
    expect(configFrom({ ...base, mode: 'gate', trials: '2' }).trials).toBe(2);
  });
});

describe('reference-endpoint (paired A/B)', () => {
  const reference = { ...base, 'reference-endpoint': 'http://127.0.0.1:9000/v1/' } as const;

  it('reads the reference, its key (a masked secret) and its model, the model defaulting later', () => {
    const config = configFrom({ ...reference, 'reference-api-key': 'sk-reference-key' });
    expect(config.reference).toEqual({
      endpoint: 'http://127.0.0.1:9000/v1',
      apiKey: 'sk-reference-key',
      model: '',
    });
    expect(secretsOf(config)).toContain('sk-reference-key');
    expect(configFrom({ ...reference, 'reference-model': 'other' }).reference?.model).toBe('other');
    expect(configFrom(base).reference).toBeUndefined();
  });

  it('names the reference input that is wrong, in one line', () => {
    const cases: Array<[Partial<Record<InputName, string>>, InputName, RegExp]> = [
      [{ ...base, 'reference-endpoint': 'ftp://x' }, 'reference-endpoint', /reference-endpoint/],
      [
        { ...base, 'reference-endpoint': 'http://user:pass1234@host/v1' },
        'reference-endpoint',
        /reference-api-key/,
      ],
      [{ ...base, 'reference-api-key': 'sk-orphan' }, 'reference-api-key', /reference-endpoint/],
      [{ ...base, 'reference-model': 'm2' }, 'reference-model', /reference-endpoint/],
      [{ ...reference, mode: 'update-baseline' }, 'reference-endpoint', /mode gate/],
      [{ ...reference, concurrency: '1,4' }, 'reference-endpoint', /sweep/],
      [{ ...reference, trials: '3' }, 'reference-endpoint', /one trial/],
    ];
    for (const [values, input, message] of cases) {
      const error = errorOf(values);
      expect(error.input).toBe(input);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('\n');
      expect(error.message).not.toContain('pass1234');
    }
  });
});
