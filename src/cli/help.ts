import type { InputName } from '../config/inputs.js';
import { FLAVOR_NAMES } from '../simulator/flavors.js';
import { TOOL_VERSION } from '../version.js';
import { CLI_INPUTS, RUN_FLAGS } from './args.js';

export const USAGE = `llm-perf-gate ${TOOL_VERSION}: a performance regression gate for OpenAI-compatible LLM endpoints

Usage:
  llm-perf-gate run --endpoint URL --model NAME [options]
                         benchmark an endpoint (mode report, gate, update-baseline or merge)
  llm-perf-gate demo [options]
                         start the built-in simulator and benchmark it (the options of run)
  llm-perf-gate simulate [options]
                         serve the simulator until Ctrl-C
  llm-perf-gate report FILE [--baseline FILE] [--export-bmf OUT] [--export-github-benchmark OUT]
                         print a results file, compare it with a baseline, or export it
  llm-perf-gate COMMAND --help
                         the options of one command
  llm-perf-gate --version

The API key may also come from LLM_PERF_GATE_API_KEY (keeps it out of shell history).
Exit status: 0 pass, no-baseline or updated; 1 regression, inconclusive or a failed run;
2 a usage or configuration error.`;

/** What each flag's value looks like; the rest show VALUE. Switches take none. */
const PLACEHOLDERS: Partial<Record<InputName, string>> = {
  endpoint: 'URL',
  'api-key': 'KEY',
  model: 'NAME',
  api: 'chat|completions',
  hardware: 'LABEL',
  'prompt-mix': 'FILE|NAME',
  concurrency: 'N[,N…]',
  'request-rate': 'RPS[,RPS…]',
  arrival: 'poisson|constant|gamma',
  burstiness: 'SHAPE',
  requests: 'N',
  duration: 'DURATION',
  'warmup-requests': 'N',
  timeout: 'DURATION',
  seed: 'N',
  'extra-body': 'JSON',
  headers: "'NAME: VALUE'",
  mode: 'MODE',
  'baseline-dir': 'DIR',
  'baseline-source': 'files|cache',
  thresholds: "'METRIC: LIMIT'",
  trials: 'N',
  'baseline-trials': 'N',
  'slo-ttft': 'DURATION',
  'slo-tpot': 'DURATION',
  'results-path': 'FILE',
  shard: 'I/N',
  'results-glob': 'GLOB',
  'record-requests': 'FILE',
};

export function placeholder(flag: string): string {
  return PLACEHOLDERS[flag as InputName] ?? 'VALUE';
}

/** `--name PLACEHOLDER` padded to `width`, then the description. */
function optionLine(flag: string, description: string, width: number): string {
  const isSwitch = RUN_FLAGS[flag]?.type === 'boolean';
  const left = isSwitch ? `--${flag}` : `--${flag} ${placeholder(flag)}`;
  return `  ${left.padEnd(width)} ${description}`;
}

function runOptions(): string {
  const width = Math.max(
    ...CLI_INPUTS.map((input) => `--${input.name} ${placeholder(input.name)}`.length),
  );
  return CLI_INPUTS.map((input) => {
    const fallback =
      'default' in input && input.default !== '' && input.default !== 'false'
        ? ` (default: ${input.default})`
        : '';
    return optionLine(input.name, `${input.description}${fallback}`, width);
  }).join('\n');
}

export function runHelp(): string {
  return `Usage: llm-perf-gate run --endpoint URL --model NAME [options]

Benchmarks an endpoint, prints the report and writes the results file. The options are the
action's inputs under the same names; switches take no value (--cache-bust), or true/false.

Options:
${runOptions()}
  -h, --help`;
}

export function demoHelp(): string {
  return `Usage: llm-perf-gate demo [--no-regression]

Starts the built-in simulator and gates it against the baseline committed in baselines/ (a
pass), then measures a deliberately slowed simulator that the gate catches (a regression).
Prints both reports and writes both PR comments as markdown under .llm-perf-gate/. About 25 s.

Options:
  --no-regression   only the first run
  -h, --help`;
}

export function reportHelp(): string {
  return `Usage: llm-perf-gate report FILE [options]

Prints a results file as a report; with --baseline, judges it against a baseline file.

Options:
  --baseline FILE                  a baseline (or results) file to compare with
  --export-bmf OUT                 write the figures as Bencher Metric Format JSON
  --export-github-benchmark OUT    write github-action-benchmark JSON, as
                                   OUT.smaller-is-better.json and OUT.bigger-is-better.json
  -h, --help`;
}

export const SIMULATE_HELP = `Usage: llm-perf-gate simulate [options]

An OpenAI-compatible streaming server modelling a continuous-batching engine; runs until Ctrl-C.

Options:
  --host HOST                      listen address (default 127.0.0.1)
  --port PORT                      port (default 8000; 0 picks a free one)
  --model NAME                     model name it serves (default sim-llama-8b)
  --any-model                      answer requests for any model name (like a proxy);
                                   by default another name gets vLLM's 404
  --api-key KEY                    require this Bearer token
  --seed N                         seed for jitter, faults and the slowdown (default 1)
  --prefill-base-ms MS             fixed prefill cost (default 10)
  --prefill-ms-per-token MS        prefill cost per input token (default 0.05)
  --decode-step-ms MS              decode step with one sequence (default 4)
  --decode-step-ms-per-sequence MS added per extra sequence in the batch (default 0.05)
  --max-batch N                    running sequences; more wait in a queue (default 64)
  --jitter SIGMA                   log-normal jitter of every step (default 0.1)
  --ttft-scale X                   slow prefill down by a factor (default 1)
  --itl-scale X                    slow decode down by a factor (default 1)
  --slowdown-sigma X               a slowdown of every step wandering over time, a mean-
                                   reverting log random walk of X per √s (default 0, off;
                                   0.05 ≈ 5% per second)
  --slowdown-reversion-s S         how fast the slowdown reverts to 1, in seconds (default 10)
  --slowdown-seed N                seed of the slowdown path (default: --seed); simulators with
                                   the same seed and start share it, as one busy cluster
  --slowdown-start EPOCH_MS        when the slowdown path starts (default: at server start)
  --proxy-delay-ms MS              delay in front of the engine, like a slow proxy (default 0)
  --kv-cache-tokens N              KV-cache capacity; overflow preempts (default 1000000)
  --output-tokens random|max       output lengths (default random)
  --ready-after-ms MS              answer /health (and completions) 503 this long after start
  --flavor NAME                    stream chat like a real server, with its timing:
                                   ${FLAVOR_NAMES.join(' ')}
  --reasoning-tokens N             the first N output tokens are reasoning_content (default 0)
  --faults LIST                    e.g. http500=0.1,breakMidstream=0.05,http429=0.02
                                   (http429 http500 http502 http503 stallHeaders stallMidstream
                                   breakMidstream malformedEvent errorEvent htmlAnswer jsonAnswer
                                   emptyStream hugeEvent slowLoris)
  -h, --help`;
