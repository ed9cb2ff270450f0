import { checkComparable, evaluateGate, resolveThresholds } from '../gate/index.js';
import { BaselineError } from '../errors.js';
import { renderTerminal } from '../report/terminal.js';
import { readResultsFile } from '../results/read.js';

/** `llm-perf-gate report FILE [--baseline FILE]`: re-render a results file, or re-judge it. */
export async function printResultsFile(path: string, baselinePath?: string): Promise<string> {
  const current = await readResultsFile(path);
  if (!baselinePath) {
    const verdict = current.selfCheck.saturated ? 'inconclusive' : 'pass';
    return renderTerminal(
      { mode: 'report', verdict, current },
      { color: process.stdout.isTTY === true },
    );
  }
  const baseline = await readResultsFile(baselinePath);
  const differences = checkComparable(baseline, current);
  if (differences.length > 0) {
    throw new BaselineError(
      `${baselinePath} is not comparable with ${path}: ${differences.join('; ')}`,
    );
  }
  const gate = evaluateGate({
    baseline,
    current,
    thresholds: resolveThresholds(current.config.thresholds),
  });
  return renderTerminal(
    { mode: 'gate', verdict: gate.verdict, current, baseline, gate, baselinePath },
    { color: process.stdout.isTTY === true },
  );
}
