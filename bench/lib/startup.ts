import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface StartupFigures {
  /** CPU (user + system, s) of `node dist/index.js` when its first HTTP request is created. */
  actionToFirstRequestS: number;
  /** CPU (s) of a bare `node` that does nothing: the part no bundle can save. */
  bareNodeS: number;
  /** Runs of each; the figures are their medians. */
  runs: number;
}

const RUNS = 7;

/**
 * Preloaded into the measured process: prints its CPU when undici (the bundle's or fetch's: the
 * channel names are global) creates the first request, then exits; or at exit if none came.
 * It measures from the outside, so the action carries no hook of its own.
 */
const PROBE = `
import diagnostics from 'node:diagnostics_channel';
import { writeSync } from 'node:fs';
const report = () => {
  const cpu = process.cpuUsage();
  writeSync(2, '\\nstartup-cpu-us ' + (cpu.user + cpu.system) + '\\n');
  process.exit(0);
};
diagnostics.subscribe('undici:request:create', report);
process.on('exit', report);
`;

/** Action inputs that get it to its first request; nothing listens there, nothing is sent. */
const ACTION_ENV = {
  INPUT_ENDPOINT: 'http://127.0.0.1:9/v1',
  INPUT_MODEL: 'startup-probe',
};

async function probedCpuS(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(PROBE)}`, ...args],
    { env: { PATH: process.env.PATH, ...env } },
  ).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }));
  const match = /startup-cpu-us (\d+)/.exec(stderr);
  if (!match) throw new Error(`no start-up figure from node ${args.join(' ')}: ${stderr}`);
  return Number(match[1]) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The action's start-up CPU, from process start to its first request (the work), against a
 * bare node's, alternating runs so a busy machine weighs on both alike. `bundle` is the
 * action's dist/index.js, built from the current sources.
 */
export async function measureStartup(bundle: string): Promise<StartupFigures> {
  const action: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    action.push(await probedCpuS([bundle], ACTION_ENV));
    bare.push(await probedCpuS(['-e', ''], {}));
  }
  return { actionToFirstRequestS: median(action), bareNodeS: median(bare), runs: RUNS };
}
