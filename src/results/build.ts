import { platform } from 'node:os';
import type { BenchmarkOutcome, MeasuredSoFar } from '../benchmark.js';
import { pairedLogVariances } from '../gate/paired.js';
import { IDLE_SELF_CHECK } from '../load/self-check.js';
import { CHARS_PER_TOKEN } from '../client/token-count.js';
import { FORMULAS, minSamplesFor, trialFiguresOf, type MetricInfo } from '../metrics/catalogue.js';
import type { RecordedRun } from '../metrics/recorder.js';
import { secretsOf } from '../config/parse.js';
import type { MeasureConfig, ReferenceEndpoint } from '../domain/config.js';
import { redactSecrets } from '../secrets.js';
import { tokenMismatch } from '../server-metrics/summarise.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Mix } from '../workload/types.js';
import {
  RESULTS_SCHEMA,
  type Provenance,
  CONFIG_SCHEMA,
  type RecordedConfig,
  type RunResults,
  type RunSummary,
  type Warning,
} from '../domain/results.js';

export function recordedConfig(config: MeasureConfig): RecordedConfig {
  const {
    apiKey: _apiKey,
    githubToken: _githubToken,
    metricsAuthorization: _metricsAuthorization,
    headers,
    reference,
    ...rest
  } = config;
  return {
    schema: CONFIG_SCHEMA,
    ...rest,
    headers: Object.keys(headers),
    ...(reference ? { reference: { endpoint: reference.endpoint, model: reference.model } } : {}),
  };
}

export function provenanceFromEnv(env: NodeJS.ProcessEnv): Provenance {
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  return {
    ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}),
    ...(env.GITHUB_REF ? { ref: env.GITHUB_REF } : {}),
    date: new Date().toISOString(),
    toolVersion: TOOL_VERSION,
    runnerOs: env.RUNNER_OS ?? platform(),
    ...(runUrl ? { runUrl } : {}),
  };
}

/**
 * The results of a run. Paired A/B, the reference's results go inside, with the pairs' variance
 * for each of `pairedMetrics` (src/gate/paired.ts): the pairs themselves are not kept.
 */
export function buildResults(
  config: MeasureConfig,
  mix: Mix,
  outcome: BenchmarkOutcome,
  env: NodeJS.ProcessEnv,
  pairedMetrics: readonly MetricInfo[] = [],
): RunResults {
  const results: RunResults = {
    schema: RESULTS_SCHEMA,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    key: {
      model: config.model,
      hardware: config.hardware,
      api: config.api,
      mixName: mix.name,
      mixFingerprint: mix.fingerprint,
    },
    provenance: provenanceFromEnv(env),
    startedAt: outcome.startedAt,
    finishedAt: outcome.finishedAt,
    partial: outcome.partial,
    config: recordedConfig(config),
    formulas: FORMULAS,
    warmup: outcome.warmup,
    summary: withRedactedErrors(outcome.summary, secretsOf(config)),
    perClass: outcome.perClass,
    trials: outcome.trials,
    histograms: outcome.histograms,
    selfCheck: outcome.selfCheck,
    endpoint: outcome.endpoint,
    warnings: [],
    ...(outcome.sweep ? { sweep: outcome.sweep } : {}),
    health: outcome.health,
    ...(outcome.server ? { server: outcome.server } : {}),
    ...(outcome.sequential ? { sequential: outcome.sequential } : {}),
  };
  results.warnings = warningsFor(results);
  if (outcome.reference && config.reference) {
    const { pairs, ...reference } = outcome.reference;
    const referenceResults = buildResults(
      referenceConfigOf(config, config.reference),
      mix,
      { ...outcome, ...reference, partial: outcome.partial },
      env,
    );
    results.paired = {
      reference: referenceResults,
      pairs: pairs.length,
      logVariancePerPair: pairedLogVariances(results, referenceResults, pairs, pairedMetrics),
    };
  }
  return results;
}

/** The reference side's configuration: the run's load, the reference's endpoint, key and model. */
function referenceConfigOf(config: MeasureConfig, reference: ReferenceEndpoint): MeasureConfig {
  const { reference: _reference, apiKey: _apiKey, ...shared } = config;
  return {
    ...shared,
    endpoint: reference.endpoint,
    model: reference.model,
    ...(reference.apiKey ? { apiKey: reference.apiKey } : {}),
  };
}

/**
 * The run so far, as results the gate can judge at a look: one trial, nothing yet known about
 * the client or the endpoint (the final results carry those).
 */
export function interimResults(
  config: MeasureConfig,
  mix: Mix,
  soFar: MeasuredSoFar,
  looks: readonly number[],
  pairedMetrics: readonly MetricInfo[],
): RunResults {
  const now = new Date().toISOString();
  const side = (recorded: RecordedRun) => ({
    ...recorded,
    warmup: { requests: 0, failed: 0 },
    trials: [trialFiguresOf(recorded.summary)],
    endpoint: {},
    health: { status: 'healthy' } as const,
  });
  const paired = soFar.paired;
  return buildResults(
    config,
    mix,
    {
      ...side(soFar.run),
      startedAt: now,
      finishedAt: now,
      partial: false,
      selfCheck: IDLE_SELF_CHECK,
      sequential: { looks: [...looks] },
      ...(paired ? { reference: { ...side(paired.reference), pairs: [...paired.pairs] } } : {}),
    },
    {},
    pairedMetrics,
  );
}

/** Error texts come from the endpoint, which may echo a key or a header back. */
function withRedactedErrors(summary: RunSummary, secrets: readonly string[]): RunSummary {
  if (!summary.firstErrors) return summary;
  const firstErrors = Object.fromEntries(
    Object.entries(summary.firstErrors).map(([errorClass, message]) => [
      errorClass,
      redactSecrets(message, secrets),
    ]),
  );
  return { ...summary, firstErrors };
}

/** What makes these numbers less trustworthy, in words a reviewer can act on. */
export function warningsFor(results: RunResults): Warning[] {
  const warnings: Warning[] = [];
  const summary = results.summary;
  const samples = summary.distributions.ttft.count;
  const [p95Needs, p99Needs] = [minSamplesFor(95), minSamplesFor(99)];
  // No successful request at all is the verdict's (unhealthy) or the errors warning's to say.
  if (samples > 0 && samples < p99Needs) {
    const needs =
      samples < p95Needs
        ? `p95 needs ≥ ${p95Needs} and p99 ≥ ${p99Needs} samples`
        : `p99 needs ≥ ${p99Needs} samples`;
    warnings.push({
      code: 'few-samples',
      message: `Only ${samples} successful requests: ${needs} to be stable.`,
    });
  }
  if (results.selfCheck.saturated) {
    warnings.push({
      code: 'saturated-client',
      message: `The load generator was the bottleneck (${results.selfCheck.reasons.join('; ')}): latencies include the client's own delays and are not trusted.`,
    });
  }
  const cautions = results.selfCheck.cautions ?? [];
  if (cautions.length > 0) {
    warnings.push({
      code: 'client-added-ttft',
      message: `${cautions.join('; ')}: TTFT and ITL include that much of the load generator's own delay; lower the load or use a bigger runner to measure closer.`,
    });
  }
  const tokensWarning = tokenCountingWarning(summary);
  if (tokensWarning) warnings.push(tokensWarning);
  const reuseStopped = results.endpoint.connections?.reuseStopped;
  if (reuseStopped) {
    warnings.push({
      code: 'connection-reuse',
      message: `${reuseStopped} (${results.endpoint.connections?.reconnects ?? 0} reconnects); latencies include a TCP connect each`,
    });
  }
  if (summary.failed > 0) {
    const classes = Object.entries(summary.errorsByClass)
      .map(([errorClass, count]) => `${errorClass} ${count}`)
      .join(', ');
    warnings.push({
      code: 'errors',
      message: `${summary.failed} of ${summary.requests} measured requests failed (${classes}).`,
    });
  }
  if (summary.outputLength.fixedLengthIgnored) {
    warnings.push({
      code: 'fixed-length-ignored',
      message: `a fixed output length was asked for (ignore_eos/min_tokens) but ${summary.outputLength.shorterThanRequested} responses were shorter (${summary.outputLength.receivedMin}–${summary.outputLength.receivedMax} tokens): the server ignores it and tokens/s comparisons are suspect`,
    });
  }
  const scheduleDelayP95 = summary.distributions.scheduleDelay.p95Ms;
  if (results.config.requestRate !== undefined && scheduleDelayP95 > 10) {
    warnings.push({
      code: 'schedule-delay',
      message: `requests left up to ${scheduleDelayP95.toFixed(0)} ms (p95) after their scheduled time, waiting for one of ${results.config.concurrency} slots: see TTFT from schedule`,
    });
  }
  const server = results.server;
  const mismatch =
    server &&
    tokenMismatch(server, {
      promptTokens: summary.inputTokens,
      generationTokens: summary.outputTokens,
      failedRequests: summary.failed,
    });
  for (const message of [...(server?.warnings ?? []), ...(mismatch ? [mismatch] : [])]) {
    warnings.push({ code: 'server-metrics', message: `server metrics: ${message}` });
  }
  // An unhealthy or cancelled run says so in its verdict; one that measured nothing has no
  // figures to qualify.
  if (results.partial && summary.requests > 0) {
    warnings.push({
      code: 'partial',
      message: 'the run was interrupted: figures cover only the requests that finished',
    });
  }
  return warnings;
}

/** Output tokens that are not the server's own count: say how they were counted. */
function tokenCountingWarning(summary: RunSummary): Warning | undefined {
  if (summary.tokenCounting === 'tokenizer') {
    return {
      code: 'estimated-tokens',
      message:
        'the server sent no usage: output tokens counted from the generated text with the tokenizer',
    };
  }
  if (summary.estimatedTokenRequests === 0) return undefined;
  const how =
    summary.tokenCounting === 'characters'
      ? `estimated from the generated text at ${CHARS_PER_TOKEN} characters per token (set tokenizer for exact counts)`
      : 'counted from streamed events';
  return {
    code: 'estimated-tokens',
    message: `${summary.estimatedTokenRequests} requests had no usage in the stream: output tokens ${how}; tokens/s and TPOT are shown but not judged`,
  };
}
