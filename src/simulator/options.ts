import { InputError } from '../errors.js';
import { FLAVOR_NAMES, FLAVORS, type FlavorName } from './flavors.js';
import type { FaultKind, SimulatorFaults, SimulatorOptions } from './types.js';

/** Faults that act inside a stream the default shape writes (src/simulator/stream.ts). */
const MIDSTREAM_FAULTS: readonly FaultKind[] = [
  'stallMidstream',
  'breakMidstream',
  'malformedEvent',
  'errorEvent',
  'hugeEvent',
  'slowLoris',
];

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'apiKey' | 'flavor'>> & {
  apiKey: string | undefined;
  flavor: FlavorName | undefined;
  faults: SimulatorFaults;
};

/** Defaulted from other options or the start time in resolveOptions. */
type DerivedOptions = 'slowdownSeed' | 'slowdownStartEpochMs';

const DEFAULTS: Omit<ResolvedOptions, 'apiKey' | 'flavor' | DerivedOptions> = {
  host: '127.0.0.1',
  port: 0,
  model: 'sim-llama-8b',
  anyModel: false,
  seed: 1,
  prefillMsPerToken: 0.05,
  prefillBaseMs: 10,
  decodeStepMs: 4,
  decodeStepMsPerSequence: 0.05,
  maxBatch: 64,
  jitter: 0.1,
  ttftScale: 1,
  itlScale: 1,
  slowdownSigma: 0,
  slowdownReversionSeconds: 10,
  outputTokens: 'random',
  honorIgnoreEos: true,
  sendUsage: true,
  reasoningTokens: 0,
  roleChunkFirst: true,
  nullContentFirstChunk: false,
  faults: {},
  stallMs: 30_000,
  retryAfterSeconds: 1,
  serverHeader: 'llm-perf-gate-simulator',
  systemFingerprint: 'fp_sim_1',
  readyAfterMs: 0,
  proxyDelayMs: 0,
  kvCacheTokens: 1_000_000,
  blockEventLoopMsPerRequest: 0,
};

/** Fills in defaults and rejects values that would make the engine misbehave. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as SimulatorOptions;
  const flavor = options.flavor;
  if (flavor !== undefined && !FLAVOR_NAMES.includes(flavor)) {
    throw new InputError(
      'flavor',
      `flavor must be one of ${FLAVOR_NAMES.join(', ')}, got ${flavor}`,
    );
  }
  // A flavor brings its server's timing; options given explicitly still win.
  const resolved: ResolvedOptions = {
    ...DEFAULTS,
    ...(flavor ? FLAVORS[flavor].timing : {}),
    ...defined,
    slowdownSeed: defined.slowdownSeed ?? defined.seed ?? DEFAULTS.seed,
    // On the clock the engine reads the slowdown with (src/simulator/engine.ts).
    slowdownStartEpochMs:
      defined.slowdownStartEpochMs ?? performance.timeOrigin + performance.now(),
    apiKey: options.apiKey,
    flavor,
  };
  const midstream = MIDSTREAM_FAULTS.filter((fault) => (resolved.faults[fault] ?? 0) > 0);
  if (flavor && midstream.length > 0) {
    throw new InputError(
      'faults',
      `faults acting mid-stream (${midstream.join(', ')}) shape the default stream only; drop them or the flavor`,
    );
  }

  requireNumber('port', resolved.port, { min: 0, max: 65535, integer: true });
  requireNumber('seed', resolved.seed, { integer: true });
  requireNumber('prefillMsPerToken', resolved.prefillMsPerToken, { min: 0 });
  requireNumber('prefillBaseMs', resolved.prefillBaseMs, { min: 0 });
  requireNumber('decodeStepMs', resolved.decodeStepMs, { min: 0 });
  requireNumber('decodeStepMsPerSequence', resolved.decodeStepMsPerSequence, { min: 0 });
  requireNumber('maxBatch', resolved.maxBatch, { min: 1, integer: true });
  requireNumber('jitter', resolved.jitter, { min: 0 });
  requireNumber('ttftScale', resolved.ttftScale, { min: 0 });
  requireNumber('itlScale', resolved.itlScale, { min: 0 });
  requireNumber('slowdownSigma', resolved.slowdownSigma, { min: 0 });
  requireNumber('slowdownReversionSeconds', resolved.slowdownReversionSeconds, { above: 0 });
  requireNumber('slowdownSeed', resolved.slowdownSeed, { integer: true });
  requireNumber('slowdownStartEpochMs', resolved.slowdownStartEpochMs, { min: 0 });
  requireNumber('reasoningTokens', resolved.reasoningTokens, { min: 0, integer: true });
  requireNumber('stallMs', resolved.stallMs, { min: 0 });
  requireNumber('readyAfterMs', resolved.readyAfterMs, { min: 0 });
  requireNumber('proxyDelayMs', resolved.proxyDelayMs, { min: 0 });
  requireNumber('kvCacheTokens', resolved.kvCacheTokens, { min: 1, integer: true });
  requireNumber('blockEventLoopMsPerRequest', resolved.blockEventLoopMsPerRequest, { min: 0 });
  requireNumber('retryAfterSeconds', resolved.retryAfterSeconds, { min: 0, integer: true });
  if (resolved.outputTokens !== 'random' && resolved.outputTokens !== 'max') {
    throw new InputError('outputTokens', "outputTokens must be 'random' or 'max'");
  }
  for (const [fault, probability] of Object.entries(resolved.faults)) {
    if (probability !== undefined) {
      requireNumber(`faults.${fault}`, probability, { min: 0, max: 1 });
    }
  }
  return resolved;
}

function requireNumber(
  name: string,
  value: number,
  limits: { min?: number; above?: number; max?: number; integer?: boolean },
): void {
  const { min = -Infinity, above = -Infinity, max = Infinity, integer = false } = limits;
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value > above &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!valid) {
    const range = [
      min > -Infinity ? `≥ ${min}` : '',
      above > -Infinity ? `> ${above}` : '',
      max < Infinity ? `≤ ${max}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const kind = integer ? 'an integer' : 'a number';
    throw new InputError(name, `${name} must be ${kind}${range ? ` ${range}` : ''}, got ${value}`);
  }
}
