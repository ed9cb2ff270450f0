/**
 * Runs the simulator in its own process (argv[2]: JSON options) and prints its URL and its
 * performance.timeOrigin, so the parent can put the server's log times on its own clock. On
 * stdin, `reset` restarts its event-loop delay histogram and `report` prints it as one JSON line:
 * how long requests could wait in the server before its own request log sees them.
 */
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startSimulator } from '../../src/simulator/index.js';

const simulator = await startSimulator(JSON.parse(process.argv[2] ?? '{}'));
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
process.stdout.write(`${simulator.url} ${performance.timeOrigin}\n`);

const ms = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - 1);
createInterface({ input: process.stdin }).on('line', (command) => {
  if (command === 'reset') loopDelay.reset();
  if (command === 'report') {
    const report = {
      p50Ms: ms(loopDelay.percentile(50)),
      p99Ms: ms(loopDelay.percentile(99)),
      maxMs: ms(loopDelay.max),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
});
process.once('SIGTERM', () => {
  void simulator.close().then(() => process.exit(0));
});
