export { checkComparable } from './comparable.js';
export { headlineMetrics, isOpenLoop } from '../metrics/catalogue.js';
export { evaluateGate, GATE_DEFAULTS, type GateInput } from './evaluate.js';
export { judgeRun, judgementRecord, sweepDifferences, type Judgement } from './judge.js';
export {
  comparisonsWithoutBaselineWarnings,
  defaultThresholds,
  parseThresholds,
  resolveThresholds,
  thresholdOptions,
} from './thresholds.js';
export type {
  CheckStatus,
  Finding,
  GateResult,
  MetricCheck,
  Threshold,
  Verdict,
} from '../domain/judgement.js';
