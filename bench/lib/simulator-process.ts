import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions, SimulatorStats } from '../../src/simulator/index.js';
import { processCpuMs } from './system-load.js';

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SimulatorProcess {
  url: string;
  /** Add to a server log time to get the same instant on this process's performance.now(). */
  clockOffsetMs: number;
  stats(): Promise<SimulatorStats>;
  /** CPU time the server process has used so far (user + system). */
  cpuMs(): Promise<number>;
  /** Restarts the server's event-loop delay histogram. */
  resetLoopDelay(): void;
  /** The server's event-loop delay since the last reset: how late it got to ready sockets. */
  loopDelay(): Promise<LoopDelay>;
  close(): Promise<void>;
}

/**
 * The simulator in its own process: its work neither shares the client's event loop nor shows
 * up in the client's process.cpuUsage(), so both measure the client alone.
 */
export async function startSimulatorProcess(options: SimulatorOptions): Promise<SimulatorProcess> {
  const main = fileURLToPath(new URL('./simulator-main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`simulator process exited with ${code}`));
      child.once('exit', onExit);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        resolve(line.trim());
      });
    });
  const firstLine = await nextLine();
  const [url = '', timeOrigin = ''] = firstLine.split(' ');
  const origin = new URL(url).origin;
  const pid = child.pid ?? 0;
  return {
    url,
    clockOffsetMs: Number(timeOrigin) - performance.timeOrigin,
    stats: async () => (await (await fetch(`${origin}/_simulator/stats`)).json()) as SimulatorStats,
    cpuMs: () => processCpuMs(pid),
    resetLoopDelay: () => child.stdin.write('reset\n'),
    loopDelay: async () => {
      const line = nextLine();
      child.stdin.write('report\n');
      return JSON.parse(await line) as LoopDelay;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
