import { setMaxListeners } from 'node:events';
import { EXIT_STATUS } from './exit-status.js';

/**
 * Cancellation for both entry points. A cancelled workflow sends SIGINT, then SIGTERM, then kills
 * the process; Ctrl-C sends SIGINT. The first signal aborts the run, so that partial results,
 * outputs and the summary are still written; a second one exits at once.
 */
export function cancelOnSignals(log: (line: string) => void): AbortSignal {
  const controller = new AbortController();
  // Every request in flight listens on this one signal: at concurrency 64 that is 64 listeners
  // by design, not a leak, so Node's warning at 11 would only be noise.
  setMaxListeners(0, controller.signal);
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cancelling and writing partial results (send it again to quit at once)`);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.once('SIGINT', () => process.exit(EXIT_STATUS.cancelled));
    process.once('SIGTERM', () => process.exit(EXIT_STATUS.cancelled));
    controller.abort(new Error(`cancelled by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
