import { recogniseServer, type ServerFamilies, type TokenSource } from './families.js';
import { SERVER_LATENCIES } from '../domain/server-view.js';
import { familyOf, histogramOf, scalarOf, type Exposition, type HistogramSeries } from './parse.js';
import { histogramDelta, histogramQuantile, histogramSum } from './quantile.js';
import {
  SERVER_VIEW_SCHEMA,
  type GaugeFigures,
  type ServerDistribution,
  type ServerView,
} from '../domain/server-view.js';

export interface Scrape {
  /** performance.now() when the answer arrived. */
  atMs: number;
  exposition: Exposition;
}

/** The scrapes of one measured phase: one before the load, some during, one after. */
export interface PhaseScrapes {
  scrapes: Scrape[];
  /** One line per failed scrape. */
  failures: string[];
}

/** What the client counted, to cross-check the server's token totals. */
export interface ClientTokens {
  promptTokens: number;
  generationTokens: number;
  /** Failed requests make the client's totals incomplete: no cross-check then. */
  failedRequests: number;
}

/** The client's and the server's token totals may differ by this much before we warn. */
export const TOKEN_MISMATCH_TOLERANCE = 0.1;
/** An unknown server's generic view keeps at most this many counters and gauges each. */
const MAX_GENERIC_SERIES = 200;

/**
 * The server's view of a run from its scrapes: histogram and counter deltas between each phase's
 * first and last scrape (summed over phases), gauges over the scrapes in between.
 */
export function summariseServer(url: string, phases: PhaseScrapes[]): ServerView {
  const usable = phases.filter((phase) => phase.scrapes.length >= 2);
  const failures = phases.flatMap((phase) => phase.failures);
  const scrapes = phases.reduce((sum, phase) => sum + phase.scrapes.length, 0);
  const warnings: string[] = [];
  if (failures.length > 0) {
    warnings.push(
      `${failures.length} of ${failures.length + scrapes} scrapes of the metrics URL failed (first: ${failures[0]})`,
    );
  }
  const names = new Set(
    usable.flatMap((phase) =>
      phase.scrapes.flatMap((scrape) => [...scrape.exposition.samples.keys()]),
    ),
  );
  const families = recogniseServer(names);
  const view: ServerView = {
    schema: SERVER_VIEW_SCHEMA,
    server: families?.kind ?? 'unknown',
    serverLabel: families?.label ?? 'unknown server',
    url,
    scrapes,
    failedScrapes: failures.length,
    latency: {},
    warnings,
  };
  if (usable.length === 0) {
    warnings.push('no measured phase has a scrape before and after it: no server view');
    return view;
  }
  if (!families) {
    view.generic = genericView(usable);
    return view;
  }
  fillKnown(view, families, usable);
  return view;
}

function fillKnown(view: ServerView, families: ServerFamilies, phases: PhaseScrapes[]): void {
  for (const latency of SERVER_LATENCIES) {
    const histogram = firstPresent(families.histograms[latency], (name) =>
      histogramOverPhases(phases, name),
    );
    if (histogram && histogram.count > 0) {
      view.latency[latency] = distributionOf(histogram);
      continue;
    }
    const pair = families.meanFromCounters?.[latency];
    if (pair) {
      const seconds = counterOverPhases(phases, pair.seconds);
      const per = counterOverPhases(phases, pair.per);
      if (seconds !== undefined && per !== undefined && per > 0) {
        view.latency[latency] = { count: per, meanMs: (seconds / per) * 1000 };
      }
    }
  }
  const waiting = firstPresent(families.waiting, (name) => gaugeOverPhases(phases, name, 'sum'));
  if (waiting) view.requestsWaiting = waiting;
  const running = firstPresent(families.running, (name) => gaugeOverPhases(phases, name, 'sum'));
  if (running) view.requestsRunning = running;
  // Several engines each report their own cache: their mean is the server's use.
  const kv = firstPresent(families.kvCacheUsage, (name) => gaugeOverPhases(phases, name, 'mean'));
  if (kv) view.kvCacheUsage = kv;
  const preemptions = firstPresent(families.preemptions, (name) => counterOverPhases(phases, name));
  if (preemptions !== undefined) view.preemptions = preemptions;
  const hitRate =
    firstPresent(families.prefixCacheCounters, ({ hits, queries }) => {
      const hit = counterOverPhases(phases, hits);
      const asked = counterOverPhases(phases, queries);
      return hit !== undefined && asked !== undefined && asked > 0 ? hit / asked : undefined;
    }) ??
    firstPresent(
      families.prefixCacheHitRate,
      (name) => gaugeOverPhases(phases, name, 'mean')?.mean,
    );
  if (hitRate !== undefined) view.prefixCacheHitRate = hitRate;
  const prompt = firstPresent(families.promptTokens, (source) => tokensOverPhases(phases, source));
  if (prompt !== undefined) view.promptTokens = prompt;
  const generation = firstPresent(families.generationTokens, (source) =>
    tokensOverPhases(phases, source),
  );
  if (generation !== undefined) view.generationTokens = generation;
}

function firstPresent<T, R>(
  candidates: readonly T[] | undefined,
  read: (candidate: T) => R | undefined,
): R | undefined {
  for (const candidate of candidates ?? []) {
    const value = read(candidate);
    if (value !== undefined) return value;
  }
  return undefined;
}

const PERCENTILES = [
  ['p50Ms', 0.5],
  ['p90Ms', 0.9],
  ['p95Ms', 0.95],
  ['p99Ms', 0.99],
] as const;

function distributionOf(histogram: HistogramSeries): ServerDistribution {
  const distribution: ServerDistribution = {
    count: histogram.count,
    meanMs: (histogram.sum / histogram.count) * 1000,
  };
  const first = histogram.buckets[0];
  if (first && Number.isFinite(first.le)) distribution.firstBucketMs = first.le * 1000;
  for (const [key, q] of PERCENTILES) {
    const quantile = histogramQuantile(q, histogram);
    if (quantile) distribution[key] = quantile.value * 1000;
    if (quantile && key === 'p95Ms') {
      distribution.p95BucketMs = [quantile.lower * 1000, quantile.upper * 1000];
    }
  }
  return distribution;
}

function edges(phase: PhaseScrapes): [Exposition, Exposition] {
  return [phase.scrapes[0]!.exposition, phase.scrapes.at(-1)!.exposition];
}

function histogramOverPhases(phases: PhaseScrapes[], family: string): HistogramSeries | undefined {
  const deltas: HistogramSeries[] = [];
  for (const phase of phases) {
    const [first, last] = edges(phase);
    const start = histogramOf(first, family);
    const end = histogramOf(last, family);
    if (!end) return undefined;
    deltas.push(start ? histogramDelta(start, end) : end);
  }
  return histogramSum(deltas);
}

/** The increase of a counter over the phases (a decrease means a restart: the end value counts). */
function counterOverPhases(phases: PhaseScrapes[], name: string): number | undefined {
  let total = 0;
  for (const phase of phases) {
    const [first, last] = edges(phase);
    const end = scalarOf(last, name);
    if (end === undefined) return undefined;
    const start = scalarOf(first, name) ?? 0;
    total += end >= start ? end - start : end;
  }
  return total;
}

function tokensOverPhases(phases: PhaseScrapes[], source: TokenSource): number | undefined {
  if ('counter' in source) return counterOverPhases(phases, source.counter);
  return histogramOverPhases(phases, source.histogramSum)?.sum;
}

/** Scrapes taken while the load ran: all but the first and last of each phase, when there are any. */
function duringLoad(phases: PhaseScrapes[]): Exposition[] {
  const inner = phases.flatMap((phase) => phase.scrapes.slice(1, -1));
  const chosen = inner.length > 0 ? inner : phases.flatMap((phase) => phase.scrapes);
  return chosen.map((scrape) => scrape.exposition);
}

function gaugeOverPhases(
  phases: PhaseScrapes[],
  name: string,
  across: 'sum' | 'mean',
): GaugeFigures | undefined {
  const values = duringLoad(phases).flatMap((exposition) => {
    const samples = exposition.samples.get(name);
    if (!samples || samples.length === 0) return [];
    const sum = samples.reduce((total, sample) => total + sample.value, 0);
    return [across === 'sum' ? sum : sum / samples.length];
  });
  return figuresOf(values);
}

function figuresOf(values: number[]): GaugeFigures | undefined {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  return {
    mean: finite.reduce((sum, value) => sum + value, 0) / finite.length,
    min: Math.min(...finite),
    max: Math.max(...finite),
    samples: finite.length,
  };
}

/** Each counter's delta and each gauge's figures, by sample name, for a server we do not know. */
function genericView(phases: PhaseScrapes[]): NonNullable<ServerView['generic']> {
  const counters: Record<string, number> = {};
  const gauges: Record<string, GaugeFigures> = {};
  const last = phases.at(-1)!.scrapes.at(-1)!.exposition;
  for (const name of last.samples.keys()) {
    const type = last.types.get(familyOf(last, name));
    if (type === 'counter' && !name.endsWith('_created')) {
      if (Object.keys(counters).length >= MAX_GENERIC_SERIES) continue;
      const delta = counterOverPhases(phases, name);
      if (delta !== undefined) counters[name] = delta;
    } else if (type === 'gauge') {
      if (Object.keys(gauges).length >= MAX_GENERIC_SERIES) continue;
      const figures = gaugeOverPhases(phases, name, 'sum');
      if (figures) gauges[name] = figures;
    }
  }
  return { counters, gauges };
}

/**
 * The server's token totals against the client's: read off the results (not the scrape), so a
 * merged run checks the server's view against all shards' requests, not one shard's slice.
 */
export function tokenMismatch(view: ServerView, client: ClientTokens): string | undefined {
  if (client.failedRequests > 0) return undefined;
  const pairs = [
    ['prompt', view.promptTokens, client.promptTokens],
    ['generated', view.generationTokens, client.generationTokens],
  ] as const;
  const differing = pairs.filter(
    ([, server, counted]) =>
      server !== undefined &&
      counted > 0 &&
      Math.abs(server - counted) > TOKEN_MISMATCH_TOLERANCE * counted,
  );
  if (differing.length === 0) return undefined;
  const detail = differing
    .map(([kind, server, counted]) => `${kind} tokens: server ${server} vs client ${counted}`)
    .join('; ');
  const more = differing.some(([, server, counted]) => (server ?? 0) > counted);
  return more
    ? `the server counted tokens this run did not send (${detail}): someone else is using the ` +
        'server, so its figures mix their load with ours'
    : `the server counted fewer tokens than this run received (${detail}): the metrics URL may ` +
        'belong to another replica than the endpoint';
}
