import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions, SimulatorStats } from '../../src/simulator/index.js';

export interface SimulatorProcess {
  url: string;
  stats(): Promise<SimulatorStats>;
  close(): Promise<void>;
}

/** A separate process that starts and closes simulators on request. */
export interface SimulatorHost {
  /** A fresh simulator (its own port, seed and counters) in the host process. */
  start(options?: SimulatorOptions): Promise<SimulatorProcess>;
  /** Ends the process and every simulator in it. */
  close(): Promise<void>;
}

/**
 * The simulator in a separate process, as a real server would be: its event loop cannot delay
 * the client's timestamps, so server-side times are a fair reference.
 */
export async function startSimulatorProcess(
  options: SimulatorOptions = {},
): Promise<SimulatorProcess> {
  const host = await startSimulatorHost();
  const simulator = await host.start(options);
  return { ...simulator, close: () => host.close() };
}

/**
 * One process for many simulators, started and closed as a test needs them: a fresh simulator
 * costs a few milliseconds, a fresh Node process with tsx about a second of CPU.
 */
export async function startSimulatorHost(): Promise<SimulatorHost> {
  const main = fileURLToPath(new URL('./simulator-process-main.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', main], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const control = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${control}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`simulator host: ${await response.text()}`);
    return (await response.json()) as { url?: string };
  };
  return {
    start: async (options = {}) => {
      const { url = '' } = await call('POST', '/simulators', options);
      const origin = new URL(url).origin;
      return {
        url,
        stats: async () =>
          (await (await fetch(`${origin}/_simulator/stats`)).json()) as SimulatorStats,
        close: async () => {
          await call('DELETE', `/simulators?url=${encodeURIComponent(url)}`);
        },
      };
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
