export { checkComparable } from './comparable.js';
export { evaluateGate, GATE_DEFAULTS, type GateInput } from './evaluate.js';
export { defaultThresholds, parseThresholds, resolveThresholds } from './thresholds.js';
export type { CheckStatus, GateResult, MetricCheck, Threshold, Verdict } from './types.js';
export { evaluateSweep, levelAsRun, sweepDifferences } from './sweep.js';
