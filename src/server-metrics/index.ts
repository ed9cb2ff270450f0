export { startScraper, type Scraper, type ScraperOptions } from './scraper.js';
export {
  summariseServer,
  tokenMismatch,
  TOKEN_MISMATCH_TOLERANCE,
  type ClientTokens,
  type PhaseScrapes,
} from './summarise.js';
export { SERVER_FAMILIES } from './families.js';
export {
  SERVER_LATENCIES,
  SERVER_VIEW_SCHEMA,
  type ServerLatency,
  type ServerView,
  type ServerDistribution,
  type GaugeFigures,
} from '../domain/server-view.js';
