import { InputError } from '../errors.js';
import { parseStartAt } from '../load/start-at.js';
import { credentialHeaderValues, urlPassword } from '../secrets.js';
import { INPUTS, type InputName } from './inputs.js';
import type { CommonConfig, MeasureConfig, MeasureMode, RunConfig, Slo } from '../domain/config.js';
import {
  boolean,
  durationMs,
  fraction,
  headerLines,
  httpUrl,
  jsonObject,
  nonNegativeInteger,
  oneOf,
  positiveInteger,
  positiveNumber,
} from './values.js';

/** Reads one raw input; undefined or '' means "not given". */
export type InputReader = (name: InputName) => string | undefined;

const DEFAULTS = new Map<string, string | undefined>(
  INPUTS.map((input) => [input.name, 'default' in input ? input.default : undefined]),
);

/** The longest run we accept: a typo like `requests: 5000000` should not tie up a runner. */
const MAX_REQUESTS = 10_000_000;
const MAX_CONCURRENCY = 10_000;

/** The raw inputs with their defaults applied. */
interface Inputs {
  /** The value or its default; undefined when there is neither. */
  raw(name: InputName): string | undefined;
  /** The value or its default, trimmed; an InputError when there is neither. */
  required(name: InputName): string;
}

/** A measuring run with every input at its default (the endpoint aside): what a setting not given means. */
export function defaultMeasureConfig(): MeasureConfig {
  const config = parseConfig((name) => (name === 'endpoint' ? 'http://127.0.0.1/v1' : undefined));
  if (config.mode === 'merge') throw new Error('the default mode measures');
  return config;
}

/**
 * Builds the run configuration from any source of raw strings (action inputs, CLI flags).
 * Fails fast on the first bad value with one line naming the input.
 */
export function parseConfig(read: InputReader): RunConfig {
  const raw = (name: InputName): string | undefined => {
    const value = read(name);
    if (value !== undefined && value.trim() !== '') return value;
    const fallback = DEFAULTS.get(name);
    // The action's `${{ github.token }}` default never reaches us unexpanded; the CLI has none.
    return fallback?.startsWith('${{') ? undefined : fallback;
  };
  const required = (name: InputName): string => {
    const value = raw(name);
    if (value === undefined) throw new InputError(name, `${name} is required`);
    return value.trim();
  };
  const inputs: Inputs = { raw, required };

  const mode = oneOf('mode', required('mode'), [
    'gate',
    'update-baseline',
    'report',
    'merge',
  ] as const);
  if (raw('shard') !== undefined && mode !== 'report') {
    throw new InputError(
      'shard',
      `shard jobs measure a slice and write results for mode merge: set mode: report with shard (got mode ${mode})`,
    );
  }
  const common = parseCommon(inputs);
  // mode merge measures nothing: the endpoint, key and load plan are the shards'.
  return mode === 'merge' ? { mode, ...common } : parseMeasure(inputs, mode, common);
}

/** parseConfig where only a measuring mode makes sense (benches, tests): merge is an InputError. */
export function parseMeasureConfig(read: InputReader): MeasureConfig {
  const config = parseConfig(read);
  if (config.mode === 'merge') {
    throw new InputError(
      'mode',
      'mode merge measures nothing: this needs gate, update-baseline or report',
    );
  }
  return config;
}

function parseCommon({ raw, required }: Inputs): CommonConfig {
  const githubToken = raw('github-token')?.trim();
  const prNumber = raw('pr-number');
  const baselineRef = raw('baseline-ref')?.trim();
  if (baselineRef && raw('baseline-source')?.trim().toLowerCase() === 'cache') {
    throw new InputError(
      'baseline-ref',
      'baseline-ref reads baseline files from git; it does not apply to baseline-source: cache',
    );
  }
  return {
    baselineDir: required('baseline-dir'),
    baselineSource: oneOf('baseline-source', required('baseline-source'), [
      'files',
      'cache',
    ] as const),
    thresholds: raw('thresholds') ?? '',
    failOnRegression: boolean('fail-on-regression', required('fail-on-regression')),
    failOnMissingBaseline: boolean(
      'fail-on-missing-baseline',
      required('fail-on-missing-baseline'),
    ),
    onLowSensitivity: oneOf('on-low-sensitivity', required('on-low-sensitivity'), [
      'inconclusive',
      'pass',
    ] as const),
    driftFloor: fraction('drift-floor', required('drift-floor')),
    sloAttainment: fraction('slo-attainment', required('slo-attainment')),
    comment: oneOf('comment', required('comment'), ['always', 'on-regression', 'never'] as const),
    ...(githubToken ? { githubToken } : {}),
    ...(prNumber !== undefined ? { prNumber: positiveInteger('pr-number', prNumber) } : {}),
    resultsPath: required('results-path'),
    baselineMaxErrorRate: fraction('baseline-max-error-rate', required('baseline-max-error-rate')),
    acceptNoisyBaseline: boolean('accept-noisy-baseline', required('accept-noisy-baseline')),
    baselineHistory: positiveInteger('baseline-history', required('baseline-history')),
    ...(baselineRef ? { baselineRef } : {}),
    resultsGlob: required('results-glob'),
  };
}

function parseMeasure(
  { raw, required }: Inputs,
  mode: MeasureMode,
  common: CommonConfig,
): MeasureConfig {
  const endpointWithCredentials = new URL(httpUrl('endpoint', required('endpoint')));
  const urlCredentials =
    endpointWithCredentials.username || endpointWithCredentials.password
      ? `${decodeURIComponent(endpointWithCredentials.username)}:${decodeURIComponent(endpointWithCredentials.password)}`
      : undefined;
  endpointWithCredentials.username = '';
  endpointWithCredentials.password = '';
  const endpoint = endpointWithCredentials.toString().replace(/\/+$/, '');

  const headers = headerLines('headers', raw('headers') ?? '');
  if (urlCredentials !== undefined && !hasHeader(headers, 'authorization')) {
    headers.Authorization = `Basic ${Buffer.from(urlCredentials).toString('base64')}`;
  }

  const concurrencyLevels = listOf('concurrency', required('concurrency'), positiveInteger);
  for (const level of concurrencyLevels) {
    if (level > MAX_CONCURRENCY) {
      throw new InputError(
        'concurrency',
        `concurrency must be at most ${MAX_CONCURRENCY}, got ${level}`,
      );
    }
  }
  const rateLevels =
    raw('request-rate') !== undefined
      ? listOf('request-rate', raw('request-rate') ?? '', positiveNumber)
      : undefined;
  if (concurrencyLevels.length > 1 && rateLevels && rateLevels.length > 1) {
    throw new InputError(
      'request-rate',
      'request-rate and concurrency cannot both be swept: give a list to one of them',
    );
  }
  const sweep: MeasureConfig['sweep'] =
    concurrencyLevels.length > 1
      ? { dimension: 'concurrency', levels: concurrencyLevels }
      : rateLevels && rateLevels.length > 1
        ? { dimension: 'request-rate', levels: rateLevels }
        : undefined;
  // The pool is sized for the largest level; a rate sweep starts at its first level.
  const concurrency = Math.max(...concurrencyLevels);
  const requests = positiveInteger('requests', required('requests'));
  if (requests > MAX_REQUESTS) {
    throw new InputError('requests', `requests must be at most ${MAX_REQUESTS}, got ${requests}`);
  }
  const durationRaw = raw('duration');
  const waitRaw = raw('wait-for-endpoint');
  const seed = nonNegativeInteger('seed', required('seed'));
  if (seed > 0xffffffff)
    throw new InputError('seed', `seed must be at most 4294967295, got ${seed}`);

  const apiKey = raw('api-key')?.trim();
  const recordRequests = raw('record-requests')?.trim();
  const startAtRaw = raw('start-at');
  const tokenizer = raw('tokenizer')?.trim();

  const shardRaw = raw('shard');
  if (shardRaw !== undefined && sweep) {
    throw new InputError('shard', 'shard cannot be combined with a sweep (a list of levels)');
  }

  const reference = parseReference(raw, mode, { sweep, trials: raw('trials') });
  return {
    endpoint,
    ...(apiKey ? { apiKey } : {}),
    ...(reference ? { reference } : {}),
    model: raw('model')?.trim() ?? '',
    api: oneOf('api', required('api'), ['chat', 'completions'] as const),
    hardware: required('hardware'),
    promptMix: required('prompt-mix'),
    concurrency,
    ...(rateLevels ? { requestRate: rateLevels[0] ?? 1 } : {}),
    ...(sweep ? { sweep } : {}),
    arrival: oneOf('arrival', required('arrival'), ['poisson', 'constant', 'gamma'] as const),
    burstiness: positiveNumber('burstiness', required('burstiness')),
    requests,
    stopWhenDecided: boolean('stop-when-decided', required('stop-when-decided')),
    ...(durationRaw !== undefined ? { durationMs: durationMs('duration', durationRaw) } : {}),
    warmupRequests: nonNegativeInteger('warmup-requests', required('warmup-requests')),
    timeoutMs: durationMs('timeout', required('timeout')),
    ...(waitRaw !== undefined
      ? { waitForEndpointMs: durationMs('wait-for-endpoint', waitRaw) }
      : {}),
    seed,
    extraBody: jsonObject('extra-body', raw('extra-body') ?? '{}'),
    headers,
    cacheBust: boolean('cache-bust', required('cache-bust')),
    mode,
    ...common,
    trials: trialsFor(raw, mode),
    slo: parseSlo(raw),
    ...(startAtRaw !== undefined ? { startAtEpochMs: parseStartAt('start-at', startAtRaw) } : {}),
    ...(recordRequests ? { recordRequests } : {}),
    ...(tokenizer ? { tokenizer } : {}),
    ...(shardRaw !== undefined ? { shard: parseShard(shardRaw) } : {}),
    progressIntervalMs: 5000,
    ...parseMetricsUrl(raw('metrics-url')),
    metricsIntervalMs: durationMs('metrics-interval', required('metrics-interval')),
  };
}

/**
 * Paired A/B: one measured phase of a gate run, both endpoints at once. A sweep, trials or a
 * shard would need pairs of their own; a key belongs in reference-api-key, not in the URL.
 */
function parseReference(
  raw: Inputs['raw'],
  mode: MeasureMode,
  plan: { sweep: MeasureConfig['sweep']; trials: string | undefined },
): MeasureConfig['reference'] {
  const endpointRaw = raw('reference-endpoint')?.trim();
  const apiKey = raw('reference-api-key')?.trim();
  const model = raw('reference-model')?.trim() ?? '';
  if (endpointRaw === undefined) {
    const orphan = apiKey ? 'reference-api-key' : model ? 'reference-model' : undefined;
    if (orphan) {
      throw new InputError(orphan, `${orphan} is set but reference-endpoint is not: set both`);
    }
    return undefined;
  }
  const url = new URL(httpUrl('reference-endpoint', endpointRaw));
  if (url.username || url.password) {
    throw new InputError(
      'reference-endpoint',
      'reference-endpoint must not carry credentials: put the key in reference-api-key',
    );
  }
  const refuse = (why: string) => {
    throw new InputError('reference-endpoint', `reference-endpoint ${why}`);
  };
  if (mode !== 'gate') refuse(`compares two live endpoints in mode gate only (got mode ${mode})`);
  if (plan.sweep) refuse('cannot be combined with a sweep (a list of levels)');
  if (plan.trials !== undefined && plan.trials.trim() !== '1') {
    refuse('pairs every request with the reference: it measures one trial (remove trials)');
  }
  return {
    endpoint: url.toString().replace(/\/+$/, ''),
    ...(apiKey ? { apiKey } : {}),
    model,
  };
}

/** Credentials in the URL become a Basic header of its own: the endpoint's headers stay away. */
function parseMetricsUrl(
  raw: string | undefined,
): Pick<MeasureConfig, 'metricsUrl' | 'metricsAuthorization'> {
  if (raw === undefined) return {};
  const url = new URL(httpUrl('metrics-url', raw.trim()));
  const credentials =
    url.username || url.password
      ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
      : undefined;
  url.username = '';
  url.password = '';
  return {
    metricsUrl: url.toString(),
    ...(credentials
      ? { metricsAuthorization: `Basic ${Buffer.from(credentials).toString('base64')}` }
      : {}),
  };
}

function parseSlo(raw: Inputs['raw']): Slo {
  const ttft = raw('slo-ttft');
  const tpot = raw('slo-tpot');
  return {
    ...(ttft !== undefined ? { ttftMs: durationMs('slo-ttft', ttft) } : {}),
    ...(tpot !== undefined ? { tpotMs: durationMs('slo-tpot', tpot) } : {}),
  };
}

/**
 * A baseline made of several trials knows how much whole runs vary (drift); a gate run is one
 * trial unless asked, since it runs on every push.
 */
function trialsFor(raw: Inputs['raw'], mode: MeasureMode): number {
  const trials = positiveInteger('trials', raw('trials') ?? '1');
  const baselineTrials = positiveInteger('baseline-trials', raw('baseline-trials') ?? '3');
  return mode === 'update-baseline' ? baselineTrials : trials;
}

/** `1,4,16`: a sweep; a single value is the usual single level. */
function listOf(
  input: string,
  raw: string,
  read: (input: string, raw: string) => number,
): number[] {
  const values = raw.split(',').map((part) => read(input, part));
  if (
    new Set(values).size !== values.length ||
    values.some((v, i) => i > 0 && v <= values[i - 1]!)
  ) {
    throw new InputError(input, `${input} levels must increase, got ${JSON.stringify(raw)}`);
  }
  return values;
}

/** `2/4`: the second of four slices. */
function parseShard(raw: string): { index: number; count: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || index < 1 || count < 1 || index > count) {
    throw new InputError(
      'shard',
      `shard must look like 2/4 (this job's slice, 1-based, of the whole), got ${JSON.stringify(raw)}`,
    );
  }
  return { index, count };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/**
 * The values that must never be printed: masked in the action, scrubbed from messages. Only
 * credentials: the key and token, credential headers and URL passwords, not every header value.
 */
export function secretsOf(config: RunConfig): string[] {
  const endpointSecrets =
    config.mode === 'merge'
      ? []
      : [
          config.apiKey,
          config.reference?.apiKey,
          config.metricsAuthorization,
          ...credentialHeaderValues(config.headers),
        ];
  const secrets = [
    config.githubToken,
    ...endpointSecrets,
    ...Object.values(config).map((value) =>
      typeof value === 'string' ? urlPassword(value) : undefined,
    ),
  ];
  return secrets.filter(
    (secret): secret is string => typeof secret === 'string' && secret.length >= 4,
  );
}
