/**
 * What the reader can do about an outcome that is not a clean pass: one step, naming the one
 * setting that addresses it. The setting is kept apart from the words so that each renderer
 * writes it its own way: an action input (`trials: 3`) in markdown, a flag (`--trials 3`) on a
 * terminal.
 */
import type { InputName } from '../config/inputs.js';
import type { CheckStatus, Finding, RefusalCause } from '../domain/judgement.js';
import { healthOf } from '../domain/health.js';
import type { RecordedConfig } from '../domain/results.js';
import type { ReportInput } from './types.js';

export interface NextStep {
  before: string;
  setting?: { input: InputName; value: string };
  after?: string;
}

/** Trials that let the gate see how much whole runs of this endpoint vary. */
const SUGGESTED_TRIALS = 3;

export function nextStep(input: ReportInput): NextStep | undefined {
  const { current } = input;
  const { config } = current;
  const findings = input.findings ?? input.gate?.findings ?? [];
  const found = (...kinds: Array<Finding['kind']>) =>
    findings.some((finding) => kinds.includes(finding.kind));
  const [refused] = findings.flatMap((finding) =>
    finding.kind === 'baseline-refused' ? [finding] : [],
  );
  switch (input.verdict) {
    case 'cancelled':
      return { before: 'Run again: a cancelled run is never judged.' };
    case 'unhealthy': {
      const [unhealthy] = findings.flatMap((finding) =>
        finding.kind === 'unhealthy' ? [finding] : [],
      );
      return {
        before:
          unhealthy?.hint ??
          healthOf(current).hint ??
          'Check that endpoint ends in /v1 and that api-key is right.',
      };
    }
    case 'no-baseline':
      return config.baselineSource === 'cache'
        ? { before: 'A run on the default branch saves the first baseline for this key.' }
        : {
            before: 'Record one: run with',
            setting: { input: 'mode', value: 'update-baseline' },
            after: ' on the default branch and commit the file it writes.',
          };
    case 'regression':
      if (brokeLimitsOnly(findings)) {
        return {
          before:
            'A limit holds with or without a baseline: fix what broke it, or correct its line in thresholds if the limit is wrong.',
        };
      }
      if (config.reference) {
        return {
          before:
            'The reference measured alongside was faster on the same requests: the change under test is the suspect (if the slowdown is intended, widen its line in thresholds).',
        };
      }
      return {
        before: 'If the slowdown is intended, record a new baseline with',
        setting: { input: 'mode', value: 'update-baseline' },
        after: '; otherwise the change under test is the suspect.',
      };
    case 'inconclusive':
    case 'pass':
      if (found('client-bound', 'overloaded')) return lowerTheLoad(config);
      if (refused) return recordCleanly(config, refused.cause);
      if (found('baseline-untrusted')) {
        return {
          before: 'Rebuild the baseline from a clean run:',
          setting: { input: 'mode', value: 'update-baseline' },
          after: '.',
        };
      }
      if (found('not-judged') || hasStatus(input, 'insufficient')) {
        return measureMore(config, 'few-samples');
      }
      if (found('noise') || hasStatus(input, 'noise')) return measureMore(config, 'noise');
      if (found('low-sensitivity')) return measureMore(config, 'blind');
      // A saturated client without a gate (report mode) is inconclusive too.
      return input.verdict === 'inconclusive' ? lowerTheLoad(config) : undefined;
    default:
      return undefined;
  }
}

/** Every regression is a broken absolute limit: a new baseline would not change the verdict. */
function brokeLimitsOnly(findings: readonly Finding[]): boolean {
  const regressions = findings.flatMap((finding) =>
    finding.kind === 'regression' ? [finding.check] : [],
  );
  return regressions.length > 0 && regressions.every((check) => check.threshold?.kind === 'limit');
}

/** A refused baseline: what the run needs before it may become the bar. */
function recordCleanly(config: RecordedConfig, cause: RefusalCause): NextStep {
  switch (cause) {
    case 'errors':
      return {
        before:
          'Fix what fails (see the errors and the first error of each class) and record again; a baseline with errors hides them in every later comparison.',
      };
    case 'noisy':
      return {
        before: 'To record a baseline the gate can see its thresholds with, raise',
        setting: { input: 'requests', value: String(config.requests * 2) },
        after: '.',
      };
    case 'untrusted':
      return { before: 'Record the baseline again from a clean run.' };
  }
}

function hasStatus(input: ReportInput, status: CheckStatus): boolean {
  return input.gate?.checks.some((check) => check.status === status) ?? false;
}

function lowerTheLoad(config: RecordedConfig): NextStep {
  const setting =
    config.requestRate !== undefined
      ? { input: 'request-rate' as const, value: String(round(config.requestRate / 2)) }
      : { input: 'concurrency' as const, value: String(Math.max(1, config.concurrency >> 1)) };
  return {
    before: 'The load generator was the bottleneck: lower the load,',
    setting,
    after: ', or run on a bigger runner (or shard the load).',
  };
}

const MEASURE_MORE_WHY = {
  noise: 'To tell a change this size from noise',
  blind: 'To see a regression as small as the threshold',
  'few-samples': 'Too few samples to judge every metric',
} as const;

/** More trials first (they show how much whole runs vary), then more requests per trial. */
function measureMore(config: RecordedConfig, why: keyof typeof MEASURE_MORE_WHY): NextStep {
  // Paired A/B measures one trial: its pairs, not trials, carry the noise.
  if (why !== 'few-samples' && config.trials < SUGGESTED_TRIALS && !config.reference) {
    return {
      before: `${MEASURE_MORE_WHY[why]}, repeat the run:`,
      setting: { input: 'trials', value: String(SUGGESTED_TRIALS) },
      after: '.',
    };
  }
  return {
    before: `${MEASURE_MORE_WHY[why]}: raise`,
    setting: { input: 'requests', value: String(config.requests * 2) },
    after: '.',
  };
}

function round(value: number): number {
  return Math.max(0.1, Math.round(value * 10) / 10);
}

/** `Next: …` with the setting as an action input in a code span (markdown). */
export function nextStepMarkdown(step: NextStep, escape: (text: string) => string): string {
  const setting = step.setting ? ` \`${step.setting.input}: ${step.setting.value}\`` : '';
  return `**Next:** ${escape(step.before)}${setting}${escape(step.after ?? '')}`;
}

/** `Next: …` with the setting as a CLI flag (terminal). */
export function nextStepText(step: NextStep): string {
  const setting = step.setting ? ` --${step.setting.input} ${step.setting.value}` : '';
  return `Next: ${step.before}${setting}${step.after ?? ''}`;
}
