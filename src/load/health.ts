import { answerStage, type AnswerStage } from '../client/measurement.js';
import type { RequestRecord } from '../client/types.js';
import type { RunHealth } from '../domain/results.js';
import { redactSecrets } from '../secrets.js';

/**
 * Run health: when is a run hopeless, and what to tell the user. k6's abortOnFail idea: a run
 * whose requests keep failing is stopped early instead of burning the runner for the full plan.
 */
export const HEALTH_RULES = {
  /** The measured phase stops when this share of the last `window` requests failed... */
  failedShare: 0.9,
  window: 50,
} as const;

/** A timeout's hint, by how far the answer got before it. */
const TIMEOUT_HINTS: Record<AnswerStage, string> = {
  nothing:
    'The endpoint accepted connections but did not answer within timeout: is it up and serving? use wait-for-endpoint while it starts',
  headers:
    'The endpoint answered but generated nothing within timeout: it is queueing or stuck, check its logs and load',
  text: "Streams stalled part-way: check the server's logs and load, or raise timeout if long answers need more",
};

/** One line on what to check, by how requests failed. */
function hintFor(record: RequestRecord | undefined): string {
  switch (record?.errorClass) {
    case 'http_4xx':
      if (record?.status === 401 || record?.status === 403) {
        return 'The endpoint refused the credentials: check api-key and headers';
      }
      if (record?.status === 404) {
        return 'Check that endpoint ends in /v1, that api (chat or completions) is served there, and that model is served';
      }
      return 'The endpoint rejected the request: check model, api and extra-body';
    case 'http_429':
      return 'The endpoint is rate limiting: lower concurrency or request-rate, or raise its limits';
    case 'http_5xx':
      return 'The server is failing: check its logs';
    case 'timeout':
      return TIMEOUT_HINTS[answerStage(record)];
    case 'connect':
    case 'dns':
    case 'tls':
      return 'Check the endpoint URL, port and TLS, and that the server is up; use wait-for-endpoint if it is still starting';
    case 'midstream':
      return "Streams were cut or carried errors: check the server's logs (a crash, a restart, a proxy's timeout)";
    case 'empty':
      return 'The model answered with no text: check its chat template, stop strings and max_tokens';
    default:
      return 'The responses were not OpenAI-style streams: check that endpoint and api point at an OpenAI-compatible server';
  }
}

/**
 * Watches requests as they finish and says when the run is hopeless. Warm-up: every request so
 * far failed and a full wave (`wave` requests, the concurrency) has come back. Measured phase:
 * at least `failedShare` of the last `window` failed.
 */
export class HealthWatch {
  readonly #wave: number;
  readonly #secrets: readonly string[];
  readonly #recent: boolean[] = [];
  /** Failures by class label, with the first failure of each. */
  readonly #byClass = new Map<string, { count: number; first: RequestRecord }>();
  #failedRecent = 0;
  #succeeded = 0;
  #failed = 0;

  constructor(options: { wave: number; secrets: readonly string[] }) {
    this.#wave = Math.max(1, options.wave);
    this.#secrets = options.secrets;
  }

  record(record: RequestRecord): void {
    if (record.ok) this.#succeeded++;
    else {
      this.#failed++;
      const name = classLabel(record);
      const seen = this.#byClass.get(name);
      if (seen) seen.count++;
      else this.#byClass.set(name, { count: 1, first: record });
    }
    this.#recent.push(!record.ok);
    if (!record.ok) this.#failedRecent++;
    if (this.#recent.length > HEALTH_RULES.window && this.#recent.shift()) this.#failedRecent--;
  }

  /** Requests seen, and how many of them failed. */
  get counts(): { requests: number; failed: number } {
    return { requests: this.#succeeded + this.#failed, failed: this.#failed };
  }

  /** Nothing has succeeded and a whole wave of requests has failed. */
  get allFailed(): boolean {
    return this.#succeeded === 0 && this.#failed >= this.#wave;
  }

  /** Requests came back and not one succeeded (a short run can end before a full wave). */
  get noneSucceeded(): boolean {
    return this.#succeeded === 0 && this.#failed > 0;
  }

  /** Most of the recent requests failed: the endpoint is down or refusing us. */
  get hopeless(): boolean {
    return (
      this.allFailed ||
      (this.#recent.length >= HEALTH_RULES.window &&
        this.#failedRecent >= HEALTH_RULES.failedShare * HEALTH_RULES.window)
    );
  }

  /** The unhealthy verdict's reason and hint, in one line each. */
  verdict(phase: 'warm-up' | 'measured'): RunHealth {
    const ranked = [...this.#byClass.entries()].sort((a, b) => b[1].count - a[1].count);
    const classes = ranked.map(([name, { count }]) => `${name} ×${count}`).join(', ');
    // The example and the hint follow the class that failed most: a server that died mid-run
    // is a connect problem even if its first failure was an empty answer.
    const first = ranked[0]?.[1].first;
    const example = first?.errorMessage
      ? `; first: ${redactSecrets(first.errorMessage, this.#secrets).slice(0, 200)}`
      : '';
    const scope =
      this.#succeeded === 0
        ? `every ${phase} request failed (${classes})`
        : `${this.#failedRecent} of the last ${this.#recent.length} ${phase} requests failed (${classes})`;
    return {
      status: 'unhealthy',
      reason: `${scope}${example}`,
      hint: hintFor(first),
    };
  }
}

function classLabel(record: RequestRecord): string {
  return record.errorClass === 'http_4xx' && record.status
    ? `http ${record.status}`
    : (record.errorClass ?? 'error');
}
