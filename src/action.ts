import * as core from '@actions/core';
import { INPUTS, type InputName, type RunOutputName } from './config/inputs.js';
import { parseConfig, secretsOf } from './config/parse.js';
import { describeKey } from './domain/key.js';
import { describeFailure, errorMessage } from './errors.js';
import { diagnosisLines } from './gate/diagnosis.js';
import { cancelOnSignals } from './cancel.js';
import { readActionsEvent } from './github/context.js';
import { measuredValue, publishedMetrics } from './metrics/catalogue.js';
import type { RunResults } from './domain/results.js';
import { run } from './run.js';
import { redactSecrets } from './secrets.js';

/** The GitHub Action: inputs from INPUT_*, outputs, job summary, sticky comment, exit status. */
async function main(): Promise<void> {
  const secretInputs = INPUTS.filter((input) => 'secret' in input && input.secret);
  let secrets: string[] = secretInputs.map((input) => core.getInput(input.name)).filter(Boolean);
  mask(secrets);
  try {
    const config = parseConfig((name: InputName) => core.getInput(name));
    secrets = secretsOf(config);
    mask(secrets);
    const log = (line: string) => core.info(redactSecrets(line, secrets));
    const warn = (line: string) => core.warning(redactSecrets(line, secrets));

    const event = readActionsEvent(process.env);
    const outcome = await run(config, {
      cwd: process.cwd(),
      env: process.env,
      event,
      log,
      warn,
      signal: cancelOnSignals(log),
    });
    const outputs: Record<RunOutputName, string> & Record<string, string> = {
      verdict: outcome.verdict,
      ...metricOutputs(outcome.results),
      diagnosis: diagnosisLines(outcome.report.diagnoses ?? []).join('\n'),
      'results-path': outcome.resultsPath,
      'baseline-path': outcome.baselinePath ?? '',
      'comment-url': '',
    };
    for (const warning of outcome.results.warnings) warn(warning.message);

    // Loaded once the run is over: Octokit and the report renderer would slow every start.
    const [{ renderReport }, { publishComment }] = await Promise.all([
      import('./report/markdown.js'),
      import('./github/publish.js'),
    ]);
    const report = redactSecrets(renderReport(outcome.report), secrets);
    const commentUrl = await publishComment({
      policy: config.comment,
      verdict: outcome.verdict,
      body: report,
      keyText: describeKey(outcome.results.key),
      ...(config.githubToken ? { token: config.githubToken } : {}),
      ...(config.prNumber !== undefined ? { prNumber: config.prNumber } : {}),
      event,
      env: process.env,
      secrets,
      log,
      warn,
    });
    outputs['comment-url'] = commentUrl ?? '';
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    await writeSummary(report, warn);
    log(`verdict: ${outcome.verdict}`);
    if (outcome.failure) core.setFailed(redactSecrets(outcome.failure, secrets));
    process.exitCode = outcome.exitStatus;
  } catch (error) {
    const failure = describeFailure(error);
    core.setFailed(redactSecrets(failure.text, secrets));
    process.exitCode = failure.exitStatus;
  }
}

/** The catalogue's metric outputs; empty where nothing was measured. */
function metricOutputs(results: RunResults): Record<string, string> {
  return Object.fromEntries(
    publishedMetrics().flatMap((info) => {
      if (!info.output) return [];
      const value = measuredValue(results, info);
      const shown =
        value === undefined
          ? ''
          : info.output.digits === undefined
            ? String(value)
            : value.toFixed(info.output.digits);
      return [[info.output.name, shown]];
    }),
  );
}

/**
 * Registers secrets with the runner's log masking. `::add-mask::` carries the value itself, so it
 * is only written where a runner consumes it; elsewhere our own redaction is the only guard.
 */
function mask(secrets: readonly string[]): void {
  if (process.env.GITHUB_ACTIONS !== 'true') return;
  for (const secret of secrets) core.setSecret(secret);
}

async function writeSummary(report: string, warn: (line: string) => void): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(report, true).write();
  } catch (error) {
    warn(`job summary not written: ${errorMessage(error)}`);
  }
}

await main();
