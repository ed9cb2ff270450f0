import { request } from 'undici';
import { parseExposition } from './parse.js';
import type { PhaseScrapes, Scrape } from './summarise.js';

export interface ScraperOptions {
  /** `Basic …` from credentials in the metrics URL; never logged. */
  authorization?: string;
  /** Per scrape; a scrape slower than this is a failed one. */
  timeoutMs?: number;
}

export interface Scraper {
  /** Takes the closing scrape and returns the phase's scrapes. Never throws. */
  stop(): Promise<PhaseScrapes>;
}

const DEFAULT_TIMEOUT_MS = 5000;
/** A Prometheus exposition of a big server is a few hundred kB; more is not a metrics page. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Scrapes `url` now (awaited, so the phase starts after its opening scrape), then every
 * `intervalMs` until stop(), which takes the closing scrape. A failed scrape is logged once per
 * phase and counted, never thrown: the run goes on without the server's view.
 */
export async function startScraper(
  url: string,
  intervalMs: number,
  log: (line: string) => void,
  options: ScraperOptions = {},
): Promise<Scraper> {
  const scrapes: Scrape[] = [];
  const failures: string[] = [];
  const scrapeOnce = async (): Promise<void> => {
    try {
      scrapes.push({
        exposition: parseExposition(await fetchText(url, options)),
        atMs: performance.now(),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (failures.length === 0)
        log(`metrics: scrape of ${url} failed (${message}); the run goes on`);
      failures.push(message);
    }
  };
  await scrapeOnce();
  let inFlight: Promise<void> | undefined;
  const timer = setInterval(() => {
    inFlight ??= scrapeOnce().finally(() => (inFlight = undefined));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
      await scrapeOnce();
      return { scrapes, failures };
    },
  };
}

async function fetchText(url: string, options: ScraperOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const response = await request(url, {
    headers: {
      accept: 'text/plain;version=0.0.4',
      ...(options.authorization ? { authorization: options.authorization } : {}),
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.statusCode < 200 || response.statusCode >= 300) {
    await response.body.dump();
    throw new Error(`HTTP ${response.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_BODY_BYTES) {
      response.body.destroy();
      throw new Error(`answer larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
