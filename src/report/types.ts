import type { Finding, GateResult, Verdict } from '../gate/types.js';
import type { Mode } from '../config/types.js';
import type { RunResults } from '../results/types.js';

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
  baselinePath?: string;
  /** This run's commit. */
  commitSha?: string;
  /** Extra lines from the runner, e.g. "baseline not comparable: …", "comment not posted: …". */
  notices?: string[];
}
