import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The example workflows work as written: what users copy must be safe to copy. */
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  outputs?: Record<string, string>;
  steps: Step[];
}

const examples = readdirSync('examples')
  .filter((file) => file.endsWith('.yml'))
  .map((file) => ({
    file,
    jobs: (parse(readFileSync(`examples/${file}`, 'utf8')) as { jobs: Record<string, Job> }).jobs,
  }));
const steps = (jobs: Record<string, Job>) => Object.values(jobs).flatMap((job) => job.steps);

describe('example workflows', () => {
  it.each(examples)('$file pastes no expression into a shell script', ({ jobs }) => {
    for (const step of steps(jobs)) {
      // `${{ … }}` inside `run:` is pasted into the script before the shell sees it.
      expect(step.run ?? '').not.toContain('${{');
    }
  });

  it.each(examples)('$file uses actions/checkout v5 or newer', ({ jobs }) => {
    for (const step of steps(jobs).filter((s) => s.uses?.startsWith('actions/checkout@'))) {
      expect(Number(/@v(\d+)/.exec(step.uses ?? '')?.[1])).toBeGreaterThanOrEqual(5);
    }
  });

  it('sharded.yml: every shard waits for the start time of one planning job', () => {
    const { jobs } = examples.find((example) => example.file === 'sharded.yml')!;
    const plan = jobs.plan!;
    expect(plan.outputs?.['start-at']).toMatch(/steps\.start\.outputs\.start-at/);
    expect(plan.steps[0]?.run).toMatch(/date \+%s\) \+ 120/);
    expect(jobs.shard?.needs).toBe('plan');
    const shard = jobs.shard!.steps.find((step) => step.uses?.includes('llm-perf-gate'));
    expect(shard?.with?.['start-at']).toBe('${{ needs.plan.outputs.start-at }}');
  });

  it('release-baseline.yml opens its pull request with a token that may, tag through env', () => {
    const text = readFileSync('examples/release-baseline.yml', 'utf8');
    expect(text).toContain('Allow GitHub Actions to create and approve pull requests');
    const { jobs } = examples.find((example) => example.file === 'release-baseline.yml')!;
    const open = jobs.baseline!.steps.find((step) => step.run?.includes('gh pr create')) as Step & {
      env: Record<string, string>;
    };
    expect(open.env.TAG).toBe('${{ github.event.release.tag_name }}');
    expect(open.env.GH_TOKEN).not.toContain('github.token');
  });

  it('pr-gate.yml reads baselines from the base branch', () => {
    const { jobs } = examples.find((example) => example.file === 'pr-gate.yml')!;
    const gate = jobs.gate!.steps.find((step) => step.uses?.includes('llm-perf-gate'));
    expect(gate?.with?.['baseline-ref']).toBe('origin/${{ github.base_ref }}');
    expect(jobs.gate!.steps.some((step) => step.run?.includes('git fetch'))).toBe(true);
  });
});
