import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { createRandom } from '../random.js';
import { BatchEngine } from './engine.js';
import { EngineMetrics, METRICS_PATH } from './metrics.js';
import type { Exchange, SimulatorState } from './exchange.js';
import { resolveOptions } from './options.js';
import { RequestLog } from './request-log.js';
import { failExchange, route } from './routes.js';
import { TimerSet } from './timers.js';
import type { Simulator, SimulatorOptions, SimulatorRequestLog } from './types.js';

/** Enough for any test or report; a soak at 100 requests/s keeps the last quarter hour. */
const MAX_LOG_ENTRIES = 100_000;
/** Outside /v1 so that no OpenAI client would ever call it. */
export const STATS_PATH = '/_simulator/stats';

export async function startSimulator(options?: SimulatorOptions): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const random = createRandom(resolved.seed);
  const metrics = new EngineMetrics(resolved.model);
  const engine = new BatchEngine(resolved, random.fork('engine'), { observer: metrics });
  const state: SimulatorState = {
    options: resolved,
    engine,
    random: random.fork('requests'),
    readyAtMs: performance.now() + resolved.readyAfterMs,
  };
  const requestLog = new RequestLog(MAX_LOG_ENTRIES);
  const counters = { requestsReceived: 0, completed: 0 };
  const sockets = new Set<Socket>();
  const openResponses = new Set<ServerResponse>();

  const stats = () => ({
    ...counters,
    running: engine.running,
    queued: engine.queued,
    log: requestLog.list(),
  });
  const server = createServer((req, res) => {
    // The simulator's own figures for a client in another process (benches); not counted.
    if (req.method === 'GET' && req.url === STATS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(stats()));
      return;
    }
    // Like vLLM's, outside /v1 and without the API key; not counted as a request.
    if (req.method === 'GET' && req.url === METRICS_PATH) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(
        metrics.render({
          waiting: engine.queued,
          running: engine.running,
          kvCacheUsage: engine.kvCacheUsage,
        }),
      );
      return;
    }
    counters.requestsReceived += 1;
    blockEventLoop(resolved.blockEventLoopMsPerRequest);
    openResponses.add(res);
    const exchange = openExchange(req, res, resolved.serverHeader, (log) => {
      openResponses.delete(res);
      counters.completed += 1;
      requestLog.add(log);
    });
    const serve = () =>
      route(exchange, state).catch((error: unknown) => failExchange(exchange, error));
    // A slow proxy in front of the server: the engine (and its metrics) never see this delay.
    if (resolved.proxyDelayMs > 0) exchange.timers.after(resolved.proxyDelayMs, serve);
    else void serve();
  });
  server.on('connection', (socket: Socket) => {
    // Each event goes out in its own packet the moment it is written: honest timing.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await listen(server, resolved.port, resolved.host);

  const { port } = server.address() as AddressInfo;
  const urlHost = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    stats,
    resetStats: () => {
      counters.requestsReceived = 0;
      counters.completed = 0;
      requestLog.clear();
    },
    close: () => (closing ??= closeServer(server, sockets, openResponses, engine)),
  };
}

/** Starts the request's log entry and ties its end (normal or cut) to the log and its timers. */
function openExchange(
  req: IncomingMessage,
  res: ServerResponse,
  serverHeader: string,
  onEnded: (log: SimulatorRequestLog) => void,
): Exchange {
  const log: SimulatorRequestLog = {
    receivedAtMs: performance.now(),
    outputTokens: 0,
    inputTokens: 0,
    status: 0,
    path: new URL(req.url ?? '/', 'http://simulator').pathname,
  };
  const timers = new TimerSet();
  res.setHeader('server', serverHeader);
  res.once('finish', () => {
    log.endAtMs = performance.now();
  });
  res.once('close', () => {
    timers.clear();
    log.status = res.headersSent ? res.statusCode : 0;
    onEnded(log);
  });
  return { req, res, log, timers };
}

function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose: nothing else in this process runs meanwhile.
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Ends in-flight streams and stalled sockets at once rather than waiting for them, and resolves
 * once every response has been logged, so stats() is final afterwards.
 */
async function closeServer(
  server: Server,
  sockets: Set<Socket>,
  openResponses: Set<ServerResponse>,
  engine: BatchEngine,
): Promise<void> {
  engine.stop();
  const responsesClosed = [...openResponses].map((res) => once(res, 'close'));
  const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  await Promise.all([serverClosed, ...responsesClosed]);
}
