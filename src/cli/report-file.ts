import { checkComparable, evaluateGate, resolveThresholds } from '../gate/index.js';
import { BaselineError } from '../errors.js';
import { renderTerminal } from '../report/terminal.js';
import { writeJsonAtomic } from '../files.js';
import { toBencherBmf, toGithubActionBenchmark } from '../results/export.js';
import { readResultsFile } from '../results/read.js';

export interface ExportPaths {
  bmf?: string;
  githubBenchmark?: string;
}

/**
 * `llm-perf-gate report FILE [--baseline FILE] [--export-bmf OUT] [--export-github-benchmark OUT]`:
 * re-render a results file, re-judge it, or export it for charting tools.
 */
export async function printResultsFile(
  path: string,
  baselinePath?: string,
  exports: ExportPaths = {},
): Promise<string> {
  const current = await readResultsFile(path);
  if (exports.bmf) await writeJsonAtomic(exports.bmf, toBencherBmf(current));
  if (exports.githubBenchmark) {
    const { smallerIsBetter, biggerIsBetter } = toGithubActionBenchmark(current);
    const base = exports.githubBenchmark.replace(/\.json$/, '');
    await writeJsonAtomic(`${base}.smaller-is-better.json`, smallerIsBetter);
    await writeJsonAtomic(`${base}.bigger-is-better.json`, biggerIsBetter);
  }
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
