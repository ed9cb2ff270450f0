import { execFile } from 'node:child_process';
import { relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs git in `cwd`; undefined when git fails (no repository, unknown ref, no such path). */
async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch {
    return undefined;
  }
}

/** True when `ref` names a commit in the repository at `cwd`. */
export async function refExists(cwd: string, ref: string): Promise<boolean> {
  // `--end-of-options` keeps a ref that starts with `-` from being read as an option.
  const found = await git(cwd, [
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${ref}^{commit}`,
  ]);
  return found !== undefined;
}

/**
 * The content of `path` (absolute, inside the repository at `cwd`) as of `ref`; undefined when
 * the file does not exist there. The ref must exist (see refExists).
 */
export async function readAtRef(
  cwd: string,
  ref: string,
  path: string,
): Promise<string | undefined> {
  // `REF:./path` is resolved from the current directory, so cwd need not be the repository root.
  const inRepository = relative(cwd, path).split('\\').join('/');
  return git(cwd, ['show', `${ref}:./${inRepository}`]);
}

/** The path of `path` relative to the repository root (for the pull request files API). */
export async function repositoryPath(cwd: string, path: string): Promise<string | undefined> {
  const root = (await git(cwd, ['rev-parse', '--show-toplevel']))?.trim();
  return root ? relative(root, path).split('\\').join('/') : undefined;
}
