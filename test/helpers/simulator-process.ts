import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions, SimulatorStats } from '../../src/simulator/index.js';

export interface SimulatorProcess {
  url: string;
  stats(): Promise<SimulatorStats>;
  close(): Promise<void>;
}

/**
 * The simulator in a separate process, as a real server would be: its event loop cannot delay
 * the client's timestamps, so server-side times are a fair reference.
 */
export async function startSimulatorProcess(
  options: SimulatorOptions = {},
): Promise<SimulatorProcess> {
  const main = fileURLToPath(new URL('./simulator-process-main.ts', import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', main, JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
  const origin = new URL(url).origin;
  return {
    url,
    stats: async () => (await (await fetch(`${origin}/_simulator/stats`)).json()) as SimulatorStats,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
