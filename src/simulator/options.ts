import { InputError } from '../errors.js';
import type { SimulatorFaults, SimulatorOptions } from './types.js';

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'apiKey'>> & {
  apiKey: string | undefined;
  faults: SimulatorFaults;
};

const DEFAULTS: Omit<ResolvedOptions, 'apiKey'> = {
  host: '127.0.0.1',
  port: 0,
  model: 'sim-llama-8b',
  seed: 1,
  prefillMsPerToken: 0.05,
  prefillBaseMs: 10,
  decodeStepMs: 4,
  decodeStepMsPerSequence: 0.05,
  maxBatch: 64,
  jitter: 0.1,
  ttftScale: 1,
  itlScale: 1,
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
  proxyDelayMs: 0,
  kvCacheTokens: 1_000_000,
};

/** Fills in defaults and rejects values that would make the engine misbehave. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as SimulatorOptions;
  const resolved: ResolvedOptions = { ...DEFAULTS, ...defined, apiKey: options.apiKey };

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
  requireNumber('reasoningTokens', resolved.reasoningTokens, { min: 0, integer: true });
  requireNumber('stallMs', resolved.stallMs, { min: 0 });
  requireNumber('proxyDelayMs', resolved.proxyDelayMs, { min: 0 });
  requireNumber('kvCacheTokens', resolved.kvCacheTokens, { min: 1, integer: true });
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
  limits: { min?: number; max?: number; integer?: boolean },
): void {
  const { min = -Infinity, max = Infinity, integer = false } = limits;
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!valid) {
    const range = [min > -Infinity ? `≥ ${min}` : '', max < Infinity ? `≤ ${max}` : '']
      .filter(Boolean)
      .join(' and ');
    const kind = integer ? 'an integer' : 'a number';
    throw new InputError(name, `${name} must be ${kind}${range ? ` ${range}` : ''}, got ${value}`);
  }
}
