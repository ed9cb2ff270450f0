import type { BenchmarkKey } from './results.js';

export function slug(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return cleaned || 'unnamed';
}

/** model · hardware · mix (fingerprint) · api: what a reviewer reads and a file is named by. */
export function describeKey(key: BenchmarkKey): string {
  return `${key.model} · ${key.hardware} · ${key.mixName} (${key.mixFingerprint.slice(0, 12)}) · ${key.api}`;
}

/** A readable, unique file name per key. */
export function baselineFileName(key: BenchmarkKey): string {
  return `${slug(key.model)}__${slug(key.hardware)}__${key.api}__${slug(key.mixName)}-${key.mixFingerprint.slice(0, 12)}.json`;
}

export function sameKey(a: BenchmarkKey, b: BenchmarkKey): boolean {
  return (
    a.model === b.model &&
    a.hardware === b.hardware &&
    a.api === b.api &&
    a.mixFingerprint === b.mixFingerprint
  );
}

/** The fields in which two keys differ, for an error message. */
export function keyDifferences(expected: BenchmarkKey, found: BenchmarkKey): string[] {
  const fields = ['model', 'hardware', 'api', 'mixFingerprint'] as const;
  return fields
    .filter((field) => expected[field] !== found[field])
    .map(
      (field) => `${field} ${JSON.stringify(found[field])} ≠ ${JSON.stringify(expected[field])}`,
    );
}
