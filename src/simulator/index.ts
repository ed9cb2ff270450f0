/**
 * An OpenAI-compatible streaming server backed by a model of continuous batching, with
 * injectable faults: the demo's endpoint and the backbone of the tests.
 */
export { FAULT_KINDS } from './faults.js';
export { FLAVOR_NAMES, type FlavorName } from './flavors.js';
export { startSimulator } from './server.js';
export type {
  FaultKind,
  Simulator,
  SimulatorFaults,
  SimulatorOptions,
  SimulatorRequestLog,
  SimulatorStats,
} from './types.js';
