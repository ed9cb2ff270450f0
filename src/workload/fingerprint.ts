import { canonicalJson } from '../canonical-json.js';
import { createHash } from 'node:crypto';
import type { MixClass } from './types.js';

/**
 * Bump when the same mix would turn into different requests (say, a new synthetic text
 * generator), so baselines recorded with the old requests stop matching.
 */
const FINGERPRINT_FORMAT = 1;

/**
 * sha256 (hex) of the mix's canonical content: the classes in order with their name, weight,
 * max_tokens, system prompt, prompts and synthetic spec. The mix's name and source path are left
 * out, so the same content gives the same fingerprint whether it came from YAML or JSON.
 */
export function mixFingerprint(classes: MixClass[]): string {
  const content = classes.map((mixClass) => ({
    name: mixClass.name,
    weight: mixClass.weight,
    maxTokens: mixClass.maxTokens,
    system: mixClass.system,
    prompts: mixClass.prompts,
    synthetic: mixClass.synthetic,
  }));
  const canonical = canonicalJson({ format: FINGERPRINT_FORMAT, classes: content });
  return createHash('sha256').update(canonical).digest('hex');
}

/** The first 12 hex digits: enough to tell mixes apart in a report or a file name. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 12);
}
