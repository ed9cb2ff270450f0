import { readFile } from 'node:fs/promises';

/** USER_HZ: 100 on every Linux build that matters here. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time all processes on the machine have used so far, from /proc/stat (0 where it is
 * missing). Minus the client's and the server's own, it shows whether something else was
 * competing for the CPU while a level ran: on a shared 2-core machine that alone moves the
 * figures.
 */
export async function machineBusyMs(): Promise<number> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal ...
    const [, user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).map(Number);
    const ticks = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** utime + stime of one process from /proc/PID/stat, in ms (0 where /proc is missing). */
export async function processCpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
