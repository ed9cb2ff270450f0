/**
 * Re-records the demo's baseline in baselines/ from the built-in simulator with the demo's own
 * settings (src/cli/demo.ts), as `mode: update-baseline` would: several trials, so the gate knows
 * how much whole runs vary.
 *
 *   npm run demo:baseline
 *
 * Run it after changing the demo's simulator settings or inputs; test/unit/demo-baseline.test.ts
 * fails until then.
 */
import { join } from 'node:path';
import { demoInputs, DEMO_OUTPUT_DIR, DEMO_SIMULATOR } from '../src/cli/demo.js';
import { parseConfig } from '../src/config/parse.js';
import { run } from '../src/run.js';
import { startSimulator } from '../src/simulator/index.js';

const simulator = await startSimulator(DEMO_SIMULATOR);
try {
  const resultsPath = join(DEMO_OUTPUT_DIR, 'demo-baseline-results.json');
  const inputs = demoInputs(simulator.url, 'update-baseline', resultsPath);
  const outcome = await run(
    parseConfig((name) => inputs[name]),
    {
      cwd: process.cwd(),
      // Provenance from this checkout only, not from a CI runner's variables.
      env: {},
      event: {},
      log: (line) => process.stderr.write(`${line}\n`),
      warn: (line) => process.stderr.write(`warning: ${line}\n`),
    },
  );
  process.stdout.write(`${outcome.verdict}: ${outcome.baselinePath ?? '(no file)'}\n`);
} finally {
  await simulator.close();
}
