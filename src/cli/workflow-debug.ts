/**
 * @actions/glob (results-glob in mode merge) and @actions/cache log through @actions/core's
 * debug(), which writes a `::debug::…` workflow command to stdout whatever the environment.
 * A runner hides those lines unless step debugging is on; a terminal would show them all. So
 * outside GitHub Actions the CLI drops them, one write at a time (each is one write).
 */
export function hideWorkflowDebugLines(
  stream: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (env.GITHUB_ACTIONS === 'true') return;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'string' || !chunk.startsWith('::debug::')) return write(chunk, ...rest);
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  }) as NodeJS.WriteStream['write'];
}
