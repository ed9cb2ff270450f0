/**
 * The fingerprint of what dist/ is built from: every file under src/ and the lockfile (the
 * bundled dependencies). `npm run build` writes it to dist/sources.sha256, so whether dist/ is
 * stale is a comparison of contents, not of file times that a checkout or a rebase sets anew.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RECORDED_PATH = join(ROOT, 'dist', 'sources.sha256');

export function sourcesHash(): string {
  const files = readdirSync(join(ROOT, 'src'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  const hash = createHash('sha256');
  for (const path of [...files.sort(), join(ROOT, 'package-lock.json')]) {
    hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

export function recordedHash(): string | undefined {
  try {
    return readFileSync(RECORDED_PATH, 'utf8').trim();
  } catch {
    return undefined;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(RECORDED_PATH, `${sourcesHash()}\n`);
}
