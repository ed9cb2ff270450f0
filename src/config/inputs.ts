import { publishedMetrics } from '../metrics/catalogue.js';
/**
 * Every input, once: its name (action input and CLI flag alike), default and description.
 * action.yml, the CLI's flags and the README tables are checked against this list by a test.
 */
export interface InputSpec {
  name: string;
  description: string;
  /** Default as the action would see it; undefined = no default (optional or required). */
  default?: string;
  required?: boolean;
  /** Never printed or recorded. */
  secret?: boolean;
}

export const INPUTS = [
  {
    name: 'endpoint',
    description:
      'Base URL of the OpenAI-compatible API, including /v1 (e.g. https://host/v1). Required except in mode merge.',
  },
  {
    name: 'api-key',
    secret: true,
    description: 'API key sent as a Bearer token. Masked in logs; never written anywhere.',
  },
  {
    name: 'model',
    description:
      'Model name sent in every request; part of the baseline key. Checked against GET /models; when not set and the endpoint serves exactly one model, that one is used.',
  },
  {
    name: 'reference-endpoint',
    description:
      "Paired A/B (mode gate): a live reference deployment (e.g. main's canary or production), measured in the same time window with the same request sequence; the candidate is judged against it instead of a stored baseline, so drift both share cancels.",
  },
  {
    name: 'reference-api-key',
    secret: true,
    description:
      'API key of reference-endpoint (Bearer token). Masked in logs; never written anywhere. The headers input goes to both endpoints.',
  },
  {
    name: 'reference-model',
    description: 'Model name sent to reference-endpoint; defaults to model.',
  },
  {
    name: 'api',
    default: 'chat',
    description: 'API to call: chat (/chat/completions) or completions (/completions).',
  },
  {
    name: 'hardware',
    default: 'unknown',
    description: 'Hardware label (e.g. h100x1); part of the baseline key.',
  },
  {
    name: 'prompt-mix',
    default: 'short-chat',
    description: 'Mix file (YAML or JSON) or a built-in mix: short-chat, long-context, mixed.',
  },
  {
    name: 'concurrency',
    default: '8',
    description: 'Closed loop: requests in flight. Open loop: the cap on requests in flight.',
  },
  {
    name: 'request-rate',
    description: 'Requests per second. Set: open loop with arrivals drawn from `arrival`.',
  },
  {
    name: 'arrival',
    default: 'poisson',
    description: 'Open-loop arrivals: poisson, constant or gamma (bursty; see burstiness).',
  },
  {
    name: 'burstiness',
    default: '1',
    description: 'Gamma shape for gamma arrivals; below 1 is burstier than Poisson.',
  },
  {
    name: 'requests',
    default: '2000',
    description:
      'Measured requests (after warm-up) per trial. A gate run with a baseline takes it as the budget and stops once every gated metric is decided (stop-when-decided).',
  },
  {
    name: 'stop-when-decided',
    default: 'true',
    description:
      'Gate runs with a baseline look at the figures after each block of requests and stop once every gated metric is decided (a regression, or a change shown below its threshold); false always sends all requests.',
  },
  {
    name: 'duration',
    description: 'Stop the measured phase after this long instead (500ms, 30s, 2m or seconds).',
  },
  {
    name: 'warmup-requests',
    default: '10',
    description: 'Requests sent first and left out of the figures.',
  },
  {
    name: 'timeout',
    default: '60s',
    description: 'Per-request timeout (500ms, 30s, 2m or seconds).',
  },
  {
    name: 'wait-for-endpoint',
    description:
      'Before warm-up, wait up to this long (30s, 2m) for the endpoint to be ready: GET /health at its origin answers 200, or GET /models where there is no /health. Default: no wait.',
  },
  { name: 'seed', default: '42', description: 'Seed for the request sequence and arrival times.' },
  {
    name: 'extra-body',
    default: '{}',
    description: 'JSON object merged into every request body, e.g. {"ignore_eos": true}.',
  },
  {
    name: 'headers',
    default: '',
    description:
      'Extra request headers, one "Name: value" per line. Values of credential headers (Authorization, names with key, token, secret, cookie or auth) are never logged.',
  },
  {
    name: 'cache-bust',
    default: 'false',
    description: 'Prefix every prompt with a unique nonce so prefix caches cannot serve repeats.',
  },
  {
    name: 'mode',
    default: 'gate',
    description:
      'gate (compare with the baseline), update-baseline, report (measure only) or merge (combine shards, then gate).',
  },
  { name: 'baseline-dir', default: 'baselines', description: 'Folder of baseline files.' },
  {
    name: 'baseline-source',
    default: 'files',
    description: 'Where baselines live: files (baseline-dir) or cache (the Actions cache).',
  },
  {
    name: 'thresholds',
    default: '',
    description:
      'Limits per metric, one per line, e.g. "ttft.p95: +10%", "ttft.p99: < 800ms", "error_rate: < 0.5%".',
  },
  {
    name: 'trials',
    default: '1',
    description: 'Repeat the measured phase this many times; the gate pools the trials.',
  },
  {
    name: 'baseline-trials',
    default: '3',
    description:
      'Trials when updating a baseline: the spread between them tells the gate how much whole runs vary.',
  },
  {
    name: 'baseline-max-error-rate',
    default: '0.05',
    description:
      'update-baseline and cache trials: refuse a run whose error rate (overall or in any trial) is above this fraction. With no baseline yet, a gate run above it fails (unless thresholds set an error_rate limit).',
  },
  {
    name: 'accept-noisy-baseline',
    default: 'false',
    description:
      'Write a baseline even when the smallest change it can detect is more than twice a threshold.',
  },
  {
    name: 'baseline-history',
    default: '5',
    description:
      'Accepted runs kept per key (files and cache): their spread across days is the drift the gate allows for.',
  },
  {
    name: 'baseline-ref',
    description:
      'Files mode: read baselines from this git ref (e.g. origin/main) instead of the working tree, so a PR cannot edit its own.',
  },
  {
    name: 'start-at',
    description:
      'Wait until this time (ISO 8601 or epoch seconds) before warm-up, so that shards measure together.',
  },
  { name: 'slo-ttft', description: 'SLO for goodput: TTFT at most this long (e.g. 500ms).' },
  { name: 'slo-tpot', description: 'SLO for goodput: TPOT at most this long (e.g. 50ms).' },
  {
    name: 'slo-attainment',
    default: '0.95',
    description:
      'With slo-ttft or slo-tpot set (and no sweep): the share of measured requests that must succeed within every SLO, judged with or without a baseline (slo_attainment: >= 95%); a thresholds line for slo_attainment replaces it.',
  },
  {
    name: 'fail-on-regression',
    default: 'true',
    description: 'Fail the step when the verdict is regression (or inconclusive).',
  },
  {
    name: 'fail-on-missing-baseline',
    default: 'false',
    description: 'Fail the step when no baseline exists for the key.',
  },
  {
    name: 'on-low-sensitivity',
    default: 'inconclusive',
    description:
      'Verdict when a gated metric could not be seen at its threshold (too few samples, or a baseline and budget that can detect only more than twice the threshold; known before the run, so it does not flip run to run): inconclusive (fails with fail-on-regression) or pass (named in the headline).',
  },
  {
    name: 'drift-floor',
    default: '0.03',
    description:
      'Run-to-run σ (log scale) the gate always allows for against a stored baseline: whole runs of an endpoint are a few percent faster or slower from day to day, and that does not average away. It sets the smallest change a stored baseline can ever see (about +17% on TTFT p95 at 0.03, with the default 3-trial baseline); raise it (e.g. 0.05) when your endpoint drifts more.',
  },
  {
    name: 'comment',
    default: 'always',
    description: 'Sticky PR comment: always, on-regression or never.',
  },
  {
    name: 'pr-number',
    description:
      'Pull request to comment on when the event names none, e.g. a workflow_run for a fork PR (see examples/fork-pr.yml).',
  },
  {
    name: 'github-token',
    default: '${{ github.token }}',
    secret: true,
    description: 'Token used to write the PR comment.',
  },
  {
    name: 'results-path',
    default: 'llm-perf-gate-results.json',
    description: 'Where to write the results JSON.',
  },
  {
    name: 'shard',
    description:
      'Run one slice of the plan, e.g. 2/4, in a matrix job; merge the results with mode merge.',
  },
  {
    name: 'results-glob',
    default: 'llm-perf-gate-shards/**/*.json',
    description: 'mode merge: results files of the shards to merge (a glob).',
  },
  {
    name: 'metrics-url',
    description:
      "The server's Prometheus metrics (e.g. http://host:8000/metrics): scraped around and during each measured phase for the Server view and the diagnosis. Credentials in the URL (user:pass@) are sent as Basic auth and masked.",
  },
  {
    name: 'metrics-interval',
    default: '5s',
    description: 'How often metrics-url is scraped while a phase runs (500ms, 5s or seconds).',
  },
  {
    name: 'record-requests',
    description: 'Write one JSON line per request to this path (streamed to disk).',
  },
  {
    name: 'tokenizer',
    description:
      "Path to the model's Hugging Face tokenizer.json: counts output tokens exactly when the server sends no usage (else ≈4 characters per token, estimated and not gated).",
  },
] as const satisfies readonly InputSpec[];

export type InputName = (typeof INPUTS)[number]['name'];

/** An input's default as the action sees it, for readers of files written before it existed. */
export function inputDefault(name: InputName): string | undefined {
  const spec: InputSpec | undefined = INPUTS.find((input) => input.name === name);
  return spec?.default;
}

/** The outputs that are not metrics (those come from the metric catalogue). */
const RUN_OUTPUTS = {
  verdict:
    'pass, regression, no-baseline, updated, inconclusive, unhealthy (the endpoint could not be measured) or cancelled.',
  diagnosis:
    'Why it regressed, one line per run or sweep level (e.g. "TTFT p95 regressed; the cause: queueing — …"); empty when no latency or throughput got worse. The results file holds the same under judgement.diagnoses.',
  'results-path': 'Path of the results JSON.',
  'baseline-path': 'Path of the baseline compared with or written.',
  'comment-url': 'URL of the sticky PR comment, when one was written.',
} as const;

export type RunOutputName = keyof typeof RUN_OUTPUTS;

const runOutput = (name: RunOutputName) => ({ name, description: RUN_OUTPUTS[name] });

export const OUTPUTS: ReadonlyArray<{ name: string; description: string }> = [
  runOutput('verdict'),
  ...publishedMetrics().flatMap(({ output }) =>
    output ? [{ name: output.name, description: output.description }] : [],
  ),
  runOutput('diagnosis'),
  runOutput('results-path'),
  runOutput('baseline-path'),
  runOutput('comment-url'),
];
