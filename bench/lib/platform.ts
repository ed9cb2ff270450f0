import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

export interface Platform {
  node: string;
  cpus: number;
  cpuModel: string;
  /**
   * CPU time one idle event-loop wakeup costs on this machine (a 2 ms timer, nothing else):
   * what every client pays per read when few streams are in flight. Under virtualization it
   * is far above bare metal, and it dominates CPU per token at one stream.
   */
  wakeupCpuUs: number;
  /**
   * Share of a core each of two CPU-bound processes got, run side by side: about 1 each on two
   * real cores. Below that, the client and the simulator cannot both run at full speed at once.
   */
  parallelShares: number[];
}

const WAKEUPS = 500;
const SPIN_MS = 1500;
/** Spins for SPIN_MS and prints the share of a core it got. */
const SPINNER = `const t=performance.now(),c=process.cpuUsage();while(performance.now()-t<${SPIN_MS});const u=process.cpuUsage(c);console.log((u.user+u.system)/1000/(performance.now()-t))`;

export async function measurePlatform(): Promise<Platform> {
  const cpuStart = process.cpuUsage();
  for (let wakeup = 0; wakeup < WAKEUPS; wakeup++) await delay(2);
  const cpu = process.cpuUsage(cpuStart);
  const spin = () => promisify(execFile)(process.execPath, ['-e', SPINNER]);
  const spins = await Promise.all([spin(), spin()]);
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    wakeupCpuUs: (cpu.user + cpu.system) / WAKEUPS,
    parallelShares: spins.map(({ stdout }) => Math.round(Number(stdout) * 100) / 100),
  };
}
