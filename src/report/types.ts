import type { Diagnosis } from '../domain/judgement.js';
import type { Judgement } from '../gate/judge.js';
import type { Finding, GateResult, Verdict } from '../domain/judgement.js';
import type { Mode } from '../domain/config.js';
import type { RunResults } from '../domain/results.js';

/** Everything a report is rendered from (markdown for GitHub, plain text for a terminal). */
export interface ReportInput {
  mode: Mode;
  verdict: Verdict;
  current: RunResults;
  /** The baseline compared with (gate mode). */
  baseline?: RunResults;
  /** Present in gate mode when a baseline existed. */
  gate?: GateResult;
  /** The judge's findings (run health, client, sensitivity, regressions); gate.findings included. */
  findings?: Finding[];
  /** The judge's diagnoses: why what regressed did, per run or sweep level. */
  diagnoses?: Diagnosis[];
  baselinePath?: string;
  /** This run's commit. */
  commitSha?: string;
  /** Extra lines from the runner, e.g. "baseline not comparable: …", "comment not posted: …". */
  notices?: string[];
}

/** The judgement's part of a report: renderers read the judge's conclusions, never re-derive them. */
export function judged(
  judgement: Judgement,
): Pick<ReportInput, 'verdict' | 'findings' | 'gate' | 'diagnoses'> {
  return {
    verdict: judgement.verdict,
    findings: judgement.findings,
    ...(judgement.gate ? { gate: judgement.gate } : {}),
    diagnoses: judgement.diagnoses,
  };
}
