import { describeKey } from '../domain/key.js';
import type { ExitStatus } from '../exit-status.js';
import { judgeRun, resolveThresholds, thresholdOptions } from '../gate/index.js';
import { failureLine } from '../report/findings.js';
import { judged } from '../report/types.js';
import { renderTerminal } from '../report/terminal.js';
import { writeJsonAtomic } from '../files.js';
import { toBencherBmf, toGithubActionBenchmark } from '../results/export.js';
import { readResultsFile } from '../results/read.js';

export interface ExportPaths {
  bmf?: string;
  githubBenchmark?: string;
}

export interface PrintedResults {
  text: string;
  exitStatus: ExitStatus;
  failure?: string;
}

/**
 * `llm-perf-gate report FILE [--baseline FILE] [--export-bmf OUT] [--export-github-benchmark OUT]`:
 * re-render a results file, re-judge it with the same judge as `run`, or export it for charting
 * tools. The exit status is the judge's, so a re-judged regression fails a script too.
 */
export async function printResultsFile(
  path: string,
  baselinePath?: string,
  exports: ExportPaths = {},
): Promise<PrintedResults> {
  const current = await readResultsFile(path);
  if (exports.bmf) await writeJsonAtomic(exports.bmf, toBencherBmf(current));
  if (exports.githubBenchmark) {
    const { smallerIsBetter, biggerIsBetter } = toGithubActionBenchmark(current);
    const base = exports.githubBenchmark.replace(/\.json$/, '');
    await writeJsonAtomic(`${base}.smaller-is-better.json`, smallerIsBetter);
    await writeJsonAtomic(`${base}.bigger-is-better.json`, biggerIsBetter);
  }
  const baseline = baselinePath ? await readResultsFile(baselinePath) : undefined;
  const judgement = judgeRun({
    mode: baseline ? 'gate' : 'report',
    current,
    ...(baseline ? { baseline } : {}),
    ...(baselinePath ? { baselineLocation: baselinePath } : {}),
    thresholds: resolveThresholds(
      current.config.thresholds,
      thresholdOptions(current.config, current.config.sloAttainment),
    ),
    // Files written before a setting was recorded read with its default (results/schema.ts).
    policy: { ...current.config, failOnMissingBaseline: false },
  });
  const text = renderTerminal(
    {
      mode: baseline ? 'gate' : 'report',
      ...judged(judgement),
      current,
      ...(baseline ? { baseline } : {}),
      ...(baselinePath ? { baselinePath } : {}),
    },
    { color: process.stdout.isTTY === true },
  );
  return {
    text,
    exitStatus: judgement.exitStatus,
    ...(judgement.failed
      ? { failure: failureLine(judgement, describeKey(current.key)) ?? judgement.verdict }
      : {}),
  };
}
