export {
  BUILTIN_MIX_NAMES,
  builtinMix,
  isBuiltinMixName,
  type BuiltinMixName,
} from './builtin-mixes.js';
export { mixFingerprint, shortFingerprint } from './fingerprint.js';
export { loadMix } from './mix-file.js';
export { createSampler, type Sampler, type SamplerOptions } from './sampler.js';
export type { Mix, MixClass, PlannedRequest, SyntheticSpec } from './types.js';
