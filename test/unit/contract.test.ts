import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionYaml } from '../../scripts/gen-action-yml.js';
import { INPUTS, OUTPUTS } from '../../src/config/inputs.js';
import { TOOL_VERSION } from '../../src/version.js';

/** The names in the brief's contract: they may gain company, never change. */
const CONTRACT_INPUTS = [
  'endpoint',
  'api-key',
  'model',
  'api',
  'hardware',
  'prompt-mix',
  'concurrency',
  'request-rate',
  'requests',
  'duration',
  'warmup-requests',
  'timeout',
  'seed',
  'extra-body',
  'headers',
  'mode',
  'baseline-dir',
  'thresholds',
  'fail-on-regression',
  'comment',
  'github-token',
  'results-path',
];
const CONTRACT_OUTPUTS = [
  'verdict',
  'ttft-p95-ms',
  'itl-p95-ms',
  'e2e-p95-ms',
  'output-tokens-per-second',
  'requests-per-second',
  'error-rate',
  // Issue 22: why it regressed, from the judge.
  'diagnosis',
  'results-path',
  'baseline-path',
  'comment-url',
];

const readme = readFileSync('README.md', 'utf8');

/** Rows (cells trimmed) of the first markdown table after a heading, header rows skipped. */
function tableRows(heading: string): string[][] {
  const lines = (readme.split(heading)[1] ?? '').split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split(' | ').map((cell) => cell.replace(/^\|\s*|\s*\|$/g, '').trim()));
  }
  return rows;
}

describe('the action contract', () => {
  it('action.yml is generated from the input table and is current', () => {
    expect(readFileSync('action.yml', 'utf8')).toBe(actionYaml());
    const action = parse(readFileSync('action.yml', 'utf8'));
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.branding).toBeDefined();
  });

  it('keeps every input and output name of the brief', () => {
    const inputs = INPUTS.map((input) => input.name);
    for (const name of CONTRACT_INPUTS) expect(inputs).toContain(name);
    expect(OUTPUTS.map((output) => output.name)).toEqual(CONTRACT_OUTPUTS);
  });

  it('the README tables list exactly the inputs and outputs, with their defaults', () => {
    const inputRows = tableRows('### Inputs');
    expect(inputRows.map((row) => row[0])).toEqual(INPUTS.map((input) => `\`${input.name}\``));
    for (const input of INPUTS) {
      const row = inputRows.find((cells) => cells[0] === `\`${input.name}\``);
      const expected = 'default' in input && input.default !== '' ? `\`${input.default}\`` : '';
      expect(row?.[1], input.name).toBe(expected);
    }
    expect(tableRows('### Outputs').map((row) => row[0])).toEqual(
      OUTPUTS.map((output) => `\`${output.name}\``),
    );
  });

  it('the example workflows are valid YAML and use only real inputs', () => {
    const names = new Set<string>(INPUTS.map((input) => input.name));
    const files = readdirSync('examples').filter((file) => file.endsWith('.yml'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const workflow = parse(readFileSync(`examples/${file}`, 'utf8'));
      expect(workflow.on, file).toBeDefined();
      const steps = Object.values(
        workflow.jobs as Record<
          string,
          { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }
        >,
      ).flatMap((job) => job.steps);
      const ours = steps.filter((step) => step.uses?.includes('llm-perf-gate'));
      expect(ours.length, file).toBeGreaterThan(0);
      for (const step of ours) {
        for (const input of Object.keys(step.with ?? {}))
          expect(names.has(input), `${file}: ${input}`).toBe(true);
      }
    }
  });

  it('the tool version matches package.json', () => {
    expect(TOOL_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
