export { startScraper, type Scraper, type ScraperOptions } from './scraper.js';
export {
  summariseServer,
  tokenMismatch,
  TOKEN_MISMATCH_TOLERANCE,
  type ClientTokens,
  type PhaseScrapes,
} from './summarise.js';
export { SERVER_FAMILIES, SERVER_LATENCIES, type ServerLatency } from './families.js';
export {
  SERVER_VIEW_SCHEMA,
  type ServerView,
  type ServerDistribution,
  type GaugeFigures,
} from '../domain/server-view.js';
