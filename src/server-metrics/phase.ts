import type { MeasureConfig } from '../domain/config.js';
import { startScraper, type Scraper } from './scraper.js';
import { summariseServer, type PhaseScrapes } from './summarise.js';
import type { ServerView } from '../domain/server-view.js';

/** The benchmark's two calls: a scraper around each measured phase when metrics-url is set. */
export async function startPhaseScraper(
  config: MeasureConfig,
  log: (line: string) => void,
): Promise<Scraper | undefined> {
  if (!config.metricsUrl) return undefined;
  return startScraper(config.metricsUrl, config.metricsIntervalMs, log, {
    ...(config.metricsAuthorization ? { authorization: config.metricsAuthorization } : {}),
  });
}

/** The server's view of measured phases: a run's trials, or one sweep level. */
export function serverViewOf(
  config: MeasureConfig,
  phases: PhaseScrapes[],
): { server?: ServerView } {
  if (!config.metricsUrl || phases.length === 0) return {};
  return { server: summariseServer(config.metricsUrl, phases) };
}
