import type { Cause, Diagnosis, GateResult, MetricCheck } from '../domain/judgement.js';
import type { RunResults } from '../domain/results.js';
import type { ServerView } from '../domain/server-view.js';
import { formatPpDelta, formatValue } from '../format.js';
import { metricInfo, type Aspect } from '../metrics/catalogue.js';

/** Error rate rise (fraction) that names errors as the cause. */
export const ERROR_RISE = 0.01;
/** Relative change of output tokens per request that makes tokens/s and e2e suspect. */
export const LENGTH_CHANGE = 0.1;
/** An ungated row must move this much (relative, the bad way) to be explained. */
export const UNGATED_MOVE = 0.2;
/** A part must account for this share of the client's change to be named. */
const MIN_SHARE = 0.25;

function aspectOf(check: MetricCheck): Aspect | undefined {
  return metricInfo(check.metric)?.aspect;
}

/**
 * Which part of the request's way moved when a latency or throughput got worse, from evidence on
 * both runs (README "Diagnosis" states each rule). Means are compared, not percentiles: a mean
 * from a server histogram is exact (sum / count) where its percentiles are only as fine as its
 * buckets, and the parts of a mean add up (client TTFT = queue + prefill + what lies between).
 * Undefined when no latency or throughput regressed (or, ungated, moved clearly).
 */
export function diagnose(
  baseline: RunResults,
  current: RunResults,
  gate: GateResult,
): Diagnosis | undefined {
  const regressed = gate.checks.filter((check) => check.status === 'regression' && aspectOf(check));
  const worse = (check: MetricCheck): number => {
    if (check.relativeDelta === undefined) return 0;
    const info = metricInfo(check.metric);
    return info?.direction === 'lower-is-worse' ? -check.relativeDelta : check.relativeDelta;
  };
  const ungatedMoves = gate.checks.filter(
    (check) => !check.threshold && aspectOf(check) && worse(check) >= UNGATED_MOVE,
  );
  // Other lengths make every e2e and tokens/s figure compare different work: worth saying as
  // soon as one of them got worse at all.
  const lengthMoves = lengthsMoved(baseline, current)
    ? gate.checks.filter(
        (check) => check.status !== 'regression' && aspectOf(check) === 'whole' && worse(check) > 0,
      )
    : [];
  const trigger =
    regressed.length > 0 ? regressed : ungatedMoves.length > 0 ? ungatedMoves : lengthMoves;
  if (trigger.length === 0) return undefined;
  // What moved clearly, gated or not, sets which parts are compared: a TTFT regression beside an
  // e2e that grew by a third is read as a whole-request change.
  const aspects = new Set(
    [...regressed, ...ungatedMoves, ...lengthMoves].map((check) => aspectOf(check)!),
  );
  const aspect: Aspect =
    aspects.has('whole') || aspects.size > 1 ? 'whole' : aspects.has('decode') ? 'decode' : 'start';
  const found = findCause(baseline, current, aspect);
  // An ungated move is worth a sentence only when something explains it.
  if (regressed.length === 0 && found.cause === 'unclear') return undefined;
  const moved = trigger.map((check) => check.label);
  return {
    ...found,
    moved,
    ungated: regressed.length === 0,
    sentence: sentenceOf(found, moved, regressed.length === 0, [baseline.server, current.server]),
  };
}

type Found = Pick<Diagnosis, 'cause' | 'evidence' | 'serverView'>;

interface Part {
  cause: Cause;
  /** baseline and current, ms per request. */
  before: number;
  after: number;
  label: string;
  /** What this part added to the client's figure, ms, where that is not `after − before`. */
  rise?: number;
}

function findCause(baseline: RunResults, current: RunResults, aspect: Aspect): Found {
  const before = baseline.summary;
  const after = current.summary;
  const serverView = hasServerView(baseline.server) && hasServerView(current.server);

  const errorRise = after.errorRate - before.errorRate;
  if (errorRise >= ERROR_RISE) {
    return {
      cause: 'errors',
      serverView,
      evidence: [
        `error rate ${formatValue(before.errorRate, 'fraction')} → ${formatValue(after.errorRate, 'fraction')} (${formatPpDelta(errorRise)})`,
      ],
    };
  }
  const lengthBefore = tokensPerRequest(baseline);
  const lengthAfter = tokensPerRequest(current);
  if (aspect === 'whole' && lengthsMoved(baseline, current)) {
    return {
      cause: 'output-lengths',
      serverView,
      evidence: [
        `output tokens per request ${lengthBefore.toFixed(1)} → ${lengthAfter.toFixed(1)}`,
      ],
    };
  }

  const parts = serverView
    ? serverParts(baseline, current, aspect)
    : clientParts(baseline, current, aspect);
  const total = totalChange(baseline, current, aspect);
  const evidence = parts.map((part) => `${part.label} ${ms(part.before)} → ${ms(part.after)} ms`);
  const views: [ServerView, ServerView] | undefined =
    baseline.server && current.server ? [baseline.server, current.server] : undefined;
  const queueRise = views ? waitingEvidence(...views) : undefined;
  const largest = parts
    .map((part) => ({ part, rise: part.rise ?? part.after - part.before }))
    .sort((a, b) => b.rise - a.rise)[0];
  const named = largest && largest.rise > 0.5 && largest.rise >= MIN_SHARE * Math.max(total, 0);
  if (!named) return { cause: 'unclear', serverView, evidence };
  // Without a queue-time histogram, server TTFT includes the queue, and so does the client's
  // TTFB where a server sends headers only once a slot is free (llama.cpp): more waiting
  // requests say it was the queue.
  const hidesQueue = serverView
    ? largest.part.cause === 'prefill' && !hasQueueTime(baseline, current)
    : largest.part.cause === 'between-client-and-server' || largest.part.cause === 'inside-server';
  const cause = hidesQueue && views && waitingRose(...views) ? 'queueing' : largest.part.cause;
  return {
    cause,
    serverView,
    // The named part first, then the rest for comparison.
    evidence: [
      evidence[parts.indexOf(largest.part)]!,
      ...((cause === 'queueing' || cause === 'prefill') && queueRise ? [queueRise] : []),
      ...evidence.filter((_, index) => index !== parts.indexOf(largest.part)),
    ],
  };
}

function lengthsMoved(baseline: RunResults, current: RunResults): boolean {
  const before = tokensPerRequest(baseline);
  return before > 0 && Math.abs(tokensPerRequest(current) - before) / before >= LENGTH_CHANGE;
}

function hasQueueTime(baseline: RunResults, current: RunResults): boolean {
  return (
    baseline.server?.latency.queue_time !== undefined &&
    current.server?.latency.queue_time !== undefined
  );
}

/** At least one more request waiting on average, and at least twice as many. */
function waitingRose(baseline: ServerView, current: ServerView): boolean {
  const before = baseline.requestsWaiting?.mean ?? 0;
  const after = current.requestsWaiting?.mean ?? 0;
  return after - before >= 1 && after >= 2 * before;
}

/** Why the server's side was not read: metrics-url unset, set on one run only, or too thin. */
function whyClientOnly(baseline: ServerView | undefined, current: ServerView | undefined): string {
  const split = "The split is the client's";
  if (!current) return "From the client alone; metrics-url would show the server's side";
  // Scraped without TTFT or queue time (llama.cpp exports counters only) is not "unset".
  if (!readsServerLatency(current)) {
    return `${split}: the ${current.serverLabel}'s metrics give no TTFT or queue time`;
  }
  return baseline
    ? `${split}: the baseline's server metrics give no TTFT or queue time`
    : `${split}: the baseline was recorded without metrics-url`;
}

function hasServerView(view: ServerView | undefined): view is ServerView {
  return view !== undefined && readsServerLatency(view);
}

function readsServerLatency(view: ServerView): boolean {
  return view.latency.ttft !== undefined || view.latency.queue_time !== undefined;
}

function tokensPerRequest(results: RunResults): number {
  const summary = results.summary;
  return summary.succeeded > 0 ? summary.outputTokens / summary.succeeded : 0;
}

/** The client's change of what the aspect covers, ms per request (means). */
function totalChange(baseline: RunResults, current: RunResults, aspect: Aspect): number {
  const pick = (results: RunResults) => {
    const d = results.summary.distributions;
    return aspect === 'start' ? d.ttft.meanMs : aspect === 'decode' ? d.itl.meanMs : d.e2e.meanMs;
  };
  return pick(current) - pick(baseline);
}

/** Decode time per request: the per-token time times the tokens after the first. */
function decodePerRequest(perTokenMs: number, results: RunResults, aspect: Aspect): number {
  return aspect === 'decode' ? perTokenMs : perTokenMs * Math.max(0, tokensPerRequest(results) - 1);
}

function serverParts(baseline: RunResults, current: RunResults, aspect: Aspect): Part[] {
  const parts: Part[] = [];
  /** Adds a part when both runs have the figure; says whether it did. */
  const add = (
    cause: Part['cause'],
    label: string,
    read: (results: RunResults) => number | undefined,
  ): boolean => {
    const before = read(baseline);
    const after = read(current);
    if (before === undefined || after === undefined) return false;
    parts.push({ cause, before, after, label });
    return true;
  };
  const queue = (r: RunResults) => r.server!.latency.queue_time?.meanMs;
  const serverTtft = (r: RunResults) => r.server!.latency.ttft?.meanMs;
  const perToken = (r: RunResults) =>
    r.server!.latency.tpot?.meanMs ?? r.server!.latency.itl?.meanMs;
  if (aspect !== 'decode') {
    const queued = add('queueing', 'server queue time mean', queue);
    add('prefill', queued ? 'server prefill (TTFT − queue) mean' : 'server TTFT mean', (r) => {
      const ttft = serverTtft(r);
      return ttft === undefined ? undefined : ttft - (queue(r) ?? 0);
    });
    add('between-client-and-server', 'client TTFT − server TTFT mean', (r) => {
      const ttft = serverTtft(r);
      return ttft === undefined ? undefined : r.summary.distributions.ttft.meanMs - ttft;
    });
  }
  if (aspect === 'whole') {
    add('decode', 'server decode time per request mean', (r) => {
      const value = perToken(r);
      return value === undefined ? undefined : decodePerRequest(value, r, aspect);
    });
  }
  if (aspect === 'decode') parts.push(...decodeParts(baseline, current, perToken));
  return parts;
}

/**
 * Per token, the client's gap and the server's time differ by a factor, not by a fixed amount: a
 * server that sends several tokens per event (vLLM's stream interval) shows gaps of several
 * token times. So the server's change is scaled by the client's gap (the client gap as the
 * server's change alone would make it); what is left of the client's change lies between them.
 */
function decodeParts(
  baseline: RunResults,
  current: RunResults,
  perToken: (results: RunResults) => number | undefined,
): Part[] {
  const [serverBefore, serverAfter] = [perToken(baseline), perToken(current)];
  if (serverBefore === undefined || serverAfter === undefined || serverBefore <= 0) return [];
  const clientBefore = baseline.summary.distributions.itl.meanMs;
  const clientAfter = current.summary.distributions.itl.meanMs;
  const fromServer = clientBefore * (serverAfter / serverBefore);
  return [
    {
      cause: 'decode',
      label: 'server time per output token mean',
      before: serverBefore,
      after: serverAfter,
      rise: fromServer - clientBefore,
    },
    {
      // The client's gaps moved but the server's did not: something between batches the stream.
      cause: 'between-client-and-server',
      label: 'client ITL − server time per token mean',
      before: clientBefore - serverBefore,
      after: clientAfter - serverAfter,
      rise: clientAfter - fromServer,
    },
  ];
}

function clientParts(baseline: RunResults, current: RunResults, aspect: Aspect): Part[] {
  const d0 = baseline.summary.distributions;
  const d1 = current.summary.distributions;
  const parts: Part[] = [];
  if (aspect !== 'decode') {
    parts.push({
      cause: 'between-client-and-server',
      before: d0.ttfb.meanMs,
      after: d1.ttfb.meanMs,
      label: 'TTFB (response headers) mean',
    });
    parts.push({
      cause: 'inside-server',
      before: d0.ttft.meanMs - d0.ttfb.meanMs,
      after: d1.ttft.meanMs - d1.ttfb.meanMs,
      label: 'TTFT − TTFB mean',
    });
  }
  if (aspect !== 'start') {
    parts.push({
      cause: 'decode',
      before: decodePerRequest(d0.tpot.meanMs, baseline, aspect),
      after: decodePerRequest(d1.tpot.meanMs, current, aspect),
      label: aspect === 'decode' ? 'TPOT mean' : 'decode time per request (TPOT × tokens) mean',
    });
  }
  return parts;
}

function waitingEvidence(baseline: ServerView, current: ServerView): string | undefined {
  const before = baseline.requestsWaiting?.mean;
  const after = current.requestsWaiting?.mean;
  if (before === undefined || after === undefined) return undefined;
  return `requests waiting mean ${before.toFixed(1)} → ${after.toFixed(1)}`;
}

function ms(value: number): string {
  return value.toFixed(Math.abs(value) >= 100 ? 0 : 1);
}

const PHRASES: Record<Cause, string> = {
  errors: 'errors — more requests failed, and failures distort the latencies',
  'output-lengths':
    'output lengths — responses are of a different length, so tokens/s and e2e latency compare different work',
  queueing: 'queueing — requests waited longer for a batch slot on the server',
  prefill: 'prefill — the server took longer to its first token without more queueing',
  decode: 'decode — the server produces each token more slowly',
  'between-client-and-server':
    'what lies between client and server — the time the server does not see (a proxy, a gateway, the network) grew',
  'inside-server':
    'the server — TTFT rose after the response headers (queueing or prefill; metrics-url would tell which)',
  unclear: 'unclear — no single part moved clearly',
};

function sentenceOf(
  found: Found,
  moved: string[],
  ungated: boolean,
  [baselineView, currentView]: Array<ServerView | undefined>,
): string {
  const what = `${moved.join(', ')} ${ungated ? 'moved (not gated)' : 'regressed'}`;
  const evidence = found.evidence.length > 0 ? ` (${found.evidence.slice(0, 3).join('; ')})` : '';
  const clientOnly =
    found.serverView || found.cause === 'inside-server'
      ? ''
      : ` ${whyClientOnly(baselineView, currentView)}.`;
  return `${what}; the cause: ${PHRASES[found.cause]}${evidence}.${clientOnly}`;
}

/** One line per diagnosis, a sweep level's named first: the report's and the action output's. */
export function diagnosisLines(diagnoses: readonly Diagnosis[]): string[] {
  return diagnoses.map(({ level, sentence }) => (level ? `${level}: ${sentence}` : sentence));
}
