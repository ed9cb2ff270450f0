import { INPUTS } from '../config/inputs.js';
import { FLAVOR_NAMES } from '../simulator/flavors.js';
import { TOOL_VERSION } from '../version.js';

export const USAGE = `llm-perf-gate ${TOOL_VERSION}: a performance regression gate for OpenAI-compatible LLM endpoints

Usage:
  llm-perf-gate demo [--requests N]         start the built-in simulator and benchmark it
  llm-perf-gate run --endpoint URL --model NAME [options]
                                            benchmark an endpoint (mode report, gate or update-baseline)
  llm-perf-gate simulate [options]          serve the simulator until Ctrl-C
  llm-perf-gate report FILE [--baseline FILE] [--export-bmf OUT] [--export-github-benchmark OUT]
                                            print a results file, compare it with a baseline, or
                                            export it (Bencher BMF; github-action-benchmark JSON)
  llm-perf-gate --version | --help

The API key may also come from LLM_PERF_GATE_API_KEY (keeps it out of shell history).
Exit status: 0 pass, no-baseline or updated; 1 regression, inconclusive or an error.`;

export function runHelp(): string {
  const lines = INPUTS.map((input) => {
    const fallback =
      'default' in input && input.default !== '' ? ` (default: ${input.default})` : '';
    return `  --${input.name.padEnd(26)}${input.description}${fallback}`;
  });
  return `${USAGE}\n\nOptions of run (the same names as the action's inputs):\n${lines.join('\n')}`;
}

export const SIMULATE_HELP = `llm-perf-gate simulate: an OpenAI-compatible streaming server modelling a continuous-batching engine

Options:
  --host HOST                      listen address (default 127.0.0.1)
  --port PORT                      port (default 8000; 0 picks a free one)
  --model NAME                     model name it serves (default sim-llama-8b)
  --api-key KEY                    require this Bearer token
  --seed N                         seed for jitter and faults (default 1)
  --prefill-base-ms MS             fixed prefill cost (default 10)
  --prefill-ms-per-token MS        prefill cost per input token (default 0.05)
  --decode-step-ms MS              decode step with one sequence (default 4)
  --decode-step-ms-per-sequence MS added per extra sequence in the batch (default 0.05)
  --max-batch N                    running sequences; more wait in a queue (default 64)
  --jitter SIGMA                   log-normal jitter of every step (default 0.1)
  --ttft-scale X / --itl-scale X   slow prefill / decode down by a factor (default 1)
  --output-tokens random|max       output lengths (default random)
  --ready-after-ms MS              answer /health (and completions) 503 this long after start
  --flavor NAME                    stream chat like a real server, with its timing:
                                   ${FLAVOR_NAMES.join(' ')}
  --faults LIST                    e.g. http500=0.1,breakMidstream=0.05,http429=0.02
                                   (http429 http500 http502 http503 stallHeaders stallMidstream
                                   breakMidstream malformedEvent errorEvent htmlAnswer jsonAnswer
                                   emptyStream hugeEvent slowLoris)`;
