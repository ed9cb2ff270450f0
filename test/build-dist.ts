import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { recordedHash, sourcesHash } from '../scripts/dist-sources.js';

/**
 * Vitest global setup of the lanes that run dist/: builds it when the sources differ from those
 * dist/ was built from (dist/sources.sha256, written by `npm run build`), so an integration test
 * never exercises yesterday's code, whatever times a checkout or a rebase gave the files.
 */
const BUNDLES = ['dist/index.js', 'dist/cli/index.js'];

export function staleReason(): string | undefined {
  if (!BUNDLES.every((path) => existsSync(path))) return 'dist/ is missing';
  const recorded = recordedHash();
  if (recorded === undefined) return 'dist/ does not say what it was built from';
  return recorded === sourcesHash() ? undefined : 'src/ differs from what dist/ was built from';
}

export default function setup(): void {
  const reason = staleReason();
  if (!reason) return;
  process.stderr.write(`${reason}: running npm run build before the integration tests\n`);
  execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
