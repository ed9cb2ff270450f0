/**
 * npx tsx bench/readiness.ts
 *
 * What the endpoint check costs a run and how late wait-for-endpoint notices a server that
 * becomes ready: prepareEndpoint (one GET /models on a fresh connection) against a loopback
 * simulator, and the delay between a loading simulator turning healthy and the wait ending.
 */
import { prepareEndpoint } from '../src/client/readiness.js';
import type { InputName } from '../src/config/inputs.js';
import { parseMeasureConfig } from '../src/config/parse.js';
import { startSimulator } from '../src/simulator/index.js';
import { percentile } from './lib/percentiles.js';

const PROBES = 50;
const READY_AFTER_MS = 1500;

function configOf(values: Partial<Record<InputName, string>>) {
  return parseMeasureConfig((name) => values[name]);
}

async function main(): Promise<void> {
  const quiet = () => undefined;
  const simulator = await startSimulator();
  const checks: number[] = [];
  for (let probe = 0; probe < PROBES; probe++) {
    const startedMs = performance.now();
    await prepareEndpoint(configOf({ endpoint: simulator.url, model: 'sim-llama-8b' }), {
      log: quiet,
    });
    checks.push(performance.now() - startedMs);
  }
  await simulator.close();
  checks.sort((a, b) => a - b);
  console.log(
    `model check (GET /models, fresh connection), ${PROBES} runs: p50 ${percentile(checks, 50).toFixed(2)} ms, ` +
      `p95 ${percentile(checks, 95).toFixed(2)} ms, max ${checks.at(-1)?.toFixed(2)} ms`,
  );

  const loading = await startSimulator({ readyAfterMs: READY_AFTER_MS });
  const startedMs = performance.now();
  await prepareEndpoint(
    configOf({ endpoint: loading.url, model: 'sim-llama-8b', 'wait-for-endpoint': '30s' }),
    { log: quiet },
  );
  const waitedMs = performance.now() - startedMs;
  await loading.close();
  console.log(
    `wait-for-endpoint, server healthy after ${READY_AFTER_MS} ms: ready after ${waitedMs.toFixed(0)} ms ` +
      `(noticed ${(waitedMs - READY_AFTER_MS).toFixed(0)} ms late; polls every 1 s)`,
  );
}

await main();
