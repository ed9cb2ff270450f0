/**
 * What the reader can do about an outcome that is not a clean pass: one step, naming the one
 * setting that addresses it. The setting is kept apart from the words so that each renderer
 * writes it its own way: an action input (`trials: 3`) in markdown, a flag (`--trials 3`) on a
 * terminal.
 */
import type { InputName } from '../config/inputs.js';
import { healthOf } from '../results/health.js';
import type { ReportInput } from './types.js';

export interface NextStep {
  before: string;
  setting?: { input: InputName; value: string };
  after?: string;
}

/** Trials that let the gate see how much whole runs of this endpoint vary. */
const SUGGESTED_TRIALS = 3;

export function nextStep(input: ReportInput): NextStep | undefined {
  const { current, gate } = input;
  const { config } = current;
  const health = healthOf(current);
  switch (input.verdict) {
    case 'cancelled':
      return { before: 'Run again: a cancelled run is never judged.' };
    case 'unhealthy':
      return {
        before: health.hint ?? 'Check that endpoint ends in /v1 and that api-key is right.',
      };
    case 'inconclusive':
      return config.requestRate !== undefined
        ? {
            before: 'Lower the load,',
            setting: { input: 'request-rate', value: String(round(config.requestRate / 2)) },
            after: ', or run on a bigger runner (or shard the load).',
          }
        : {
            before: 'Lower the load,',
            setting: { input: 'concurrency', value: String(Math.max(1, config.concurrency >> 1)) },
            after: ', or run on a bigger runner (or shard the load).',
          };
    case 'no-baseline':
      return config.baselineSource === 'cache'
        ? { before: 'A run on the default branch saves the first baseline for this key.' }
        : {
            before: 'Record one: run with',
            setting: { input: 'mode', value: 'update-baseline' },
            after: ' on the default branch and commit the file it writes.',
          };
    case 'regression':
      return {
        before: 'If the slowdown is intended, record a new baseline with',
        setting: { input: 'mode', value: 'update-baseline' },
        after: '; otherwise the change under test is the suspect.',
      };
    case 'pass': {
      const statuses = new Set(gate?.checks.map((check) => check.status) ?? []);
      if (statuses.has('noise')) {
        return config.trials < SUGGESTED_TRIALS
          ? {
              before: 'To tell a change this size from noise, repeat the run:',
              setting: { input: 'trials', value: String(SUGGESTED_TRIALS) },
              after: '.',
            }
          : {
              before: 'To tell a change this size from noise, measure more:',
              setting: { input: 'requests', value: String(config.requests * 2) },
              after: '.',
            };
      }
      if (statuses.has('insufficient')) {
        return {
          before: 'Too few samples to judge every metric: raise',
          setting: { input: 'requests', value: String(config.requests * 2) },
          after: '.',
        };
      }
      return undefined;
    }
    default:
      return undefined;
  }
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
