import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Vitest global setup of the lanes that run dist/: builds it when a file under src/ is newer
 * than either bundle, so an integration test never exercises yesterday's code.
 */
const BUNDLES = ['dist/index.js', 'dist/cli/index.js'];
/**
 * A fresh clone writes src/ a few milliseconds after dist/; only a source saved later than
 * this after the bundles counts as newer. A build takes far longer than this, so an edit made
 * after a build is always seen.
 */
const CHECKOUT_SLACK_MS = 5_000;

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function bundleMtimeMs(): number {
  try {
    return Math.min(...BUNDLES.map((path) => statSync(path).mtimeMs));
  } catch {
    return 0;
  }
}

export function staleReason(): string | undefined {
  const bundles = bundleMtimeMs();
  if (bundles === 0) return 'dist/ is missing';
  const sources = newestMtimeMs('src');
  return sources > bundles + CHECKOUT_SLACK_MS ? 'src/ is newer than dist/' : undefined;
}

export default function setup(): void {
  const reason = staleReason();
  if (!reason) return;
  process.stderr.write(`${reason}: running npm run build before the integration tests\n`);
  execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
