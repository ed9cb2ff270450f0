import {
  boolean,
  nonNegativeInteger,
  oneOf,
  positiveInteger,
  positiveNumber,
} from '../config/values.js';
import { InputError } from '../errors.js';
import {
  FAULT_KINDS,
  FLAVOR_NAMES,
  type SimulatorFaults,
  type SimulatorOptions,
} from '../simulator/index.js';
import { stringFlag, type ParsedCommand } from './args.js';

type FlagSpec = Record<string, { type: 'string' | 'boolean' }>;

const NUMBER_FLAGS = {
  'prefill-base-ms': 'prefillBaseMs',
  'prefill-ms-per-token': 'prefillMsPerToken',
  'decode-step-ms': 'decodeStepMs',
  'decode-step-ms-per-sequence': 'decodeStepMsPerSequence',
  jitter: 'jitter',
  'ttft-scale': 'ttftScale',
  'itl-scale': 'itlScale',
  'slowdown-sigma': 'slowdownSigma',
  'slowdown-start': 'slowdownStartEpochMs',
  'ready-after-ms': 'readyAfterMs',
  'proxy-delay-ms': 'proxyDelayMs',
} as const satisfies Record<string, keyof SimulatorOptions>;

export const SIMULATE_FLAGS: FlagSpec = Object.fromEntries(
  [
    'host',
    'port',
    'model',
    'api-key',
    'seed',
    'slowdown-seed',
    'slowdown-reversion-s',
    'max-batch',
    'kv-cache-tokens',
    'output-tokens',
    'faults',
    'reasoning-tokens',
    'flavor',
    ...Object.keys(NUMBER_FLAGS),
  ]
    .map((name): [string, FlagSpec[string]] => [name, { type: 'string' }])
    .concat([['any-model', { type: 'boolean' }]]),
);

function nonNegativeNumber(input: string, raw: string): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new InputError(input, `${input} must be a number ≥ 0, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** `http500=0.1,breakMidstream=0.05`: probabilities per request. */
export function parseFaults(raw: string): SimulatorFaults {
  const faults: SimulatorFaults = {};
  for (const item of raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name = '', probability = ''] = item.split('=');
    const fault = FAULT_KINDS.find((candidate) => candidate === name.trim());
    if (!fault) {
      throw new InputError(
        'faults',
        `faults: unknown fault "${name}"; expected ${FAULT_KINDS.join(', ')}`,
      );
    }
    const value = nonNegativeNumber('faults', probability);
    if (value > 1)
      throw new InputError('faults', `faults: ${fault} must be a probability 0..1, got ${value}`);
    faults[fault] = value;
  }
  return faults;
}

export function simulatorOptionsFromFlags(values: ParsedCommand['values']): SimulatorOptions {
  const options: SimulatorOptions = {
    host: stringFlag(values, 'host') ?? '127.0.0.1',
    port: nonNegativeInteger('port', stringFlag(values, 'port') ?? '8000'),
  };
  const model = stringFlag(values, 'model');
  if (model) options.model = model;
  const anyModel = stringFlag(values, 'any-model');
  if (anyModel !== undefined) options.anyModel = boolean('any-model', anyModel);
  const apiKey = stringFlag(values, 'api-key') ?? process.env.LLM_PERF_GATE_API_KEY;
  if (apiKey) options.apiKey = apiKey;
  const seed = stringFlag(values, 'seed');
  if (seed) options.seed = nonNegativeInteger('seed', seed);
  const slowdownSeed = stringFlag(values, 'slowdown-seed');
  if (slowdownSeed) options.slowdownSeed = nonNegativeInteger('slowdown-seed', slowdownSeed);
  const reversion = stringFlag(values, 'slowdown-reversion-s');
  if (reversion) {
    options.slowdownReversionSeconds = positiveNumber('slowdown-reversion-s', reversion);
  }
  const maxBatch = stringFlag(values, 'max-batch');
  if (maxBatch) options.maxBatch = positiveInteger('max-batch', maxBatch);
  const kvCacheTokens = stringFlag(values, 'kv-cache-tokens');
  if (kvCacheTokens) options.kvCacheTokens = positiveInteger('kv-cache-tokens', kvCacheTokens);
  const reasoning = stringFlag(values, 'reasoning-tokens');
  if (reasoning) options.reasoningTokens = nonNegativeInteger('reasoning-tokens', reasoning);
  const outputTokens = stringFlag(values, 'output-tokens');
  if (outputTokens)
    options.outputTokens = oneOf('output-tokens', outputTokens, ['random', 'max'] as const);
  for (const [flag, option] of Object.entries(NUMBER_FLAGS)) {
    const raw = stringFlag(values, flag);
    if (raw !== undefined) options[option] = nonNegativeNumber(flag, raw);
  }
  const flavor = stringFlag(values, 'flavor');
  if (flavor) options.flavor = oneOf('flavor', flavor, FLAVOR_NAMES);
  const faults = stringFlag(values, 'faults');
  if (faults) options.faults = parseFaults(faults);
  return options;
}
