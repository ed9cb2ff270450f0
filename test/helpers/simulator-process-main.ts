/** Runs the simulator in its own process (argv[2]: JSON options) and prints its URL. */
import { startSimulator } from '../../src/simulator/index.js';

const simulator = await startSimulator(JSON.parse(process.argv[2] ?? '{}'));
process.stdout.write(`${simulator.url}\n`);
process.once('SIGTERM', () => {
  void simulator.close().then(() => process.exit(0));
});
