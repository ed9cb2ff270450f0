/**
 * Writes action.yml from src/config/inputs.ts, so the action's contract has one source.
 * `npm run gen:action` after changing an input; a test fails when action.yml is stale.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { INPUTS, OUTPUTS } from '../src/config/inputs.js';

export function actionYaml(): string {
  const inputs = Object.fromEntries(
    INPUTS.map((input) => [
      input.name,
      {
        description: input.description,
        required: 'required' in input && input.required === true,
        ...('default' in input ? { default: input.default } : {}),
      },
    ]),
  );
  const outputs = Object.fromEntries(
    OUTPUTS.map((output) => [output.name, { description: output.description }]),
  );
  const document = {
    name: 'llm-perf-gate',
    description:
      'Performance regression gate for OpenAI-compatible LLM endpoints: streaming benchmark, baselines, sticky PR comment.',
    author: 'llm-perf-gate',
    branding: { icon: 'activity', color: 'purple' },
    inputs,
    outputs,
    runs: { using: 'node24', main: 'dist/index.js' },
  };
  return `# Generated from src/config/inputs.ts by scripts/gen-action-yml.ts: edit those, not this.\n${stringify(document, { lineWidth: 0 })}`;
}

if (process.argv[1]?.endsWith('gen-action-yml.ts')) {
  writeFileSync(new URL('../action.yml', import.meta.url), actionYaml());
}
