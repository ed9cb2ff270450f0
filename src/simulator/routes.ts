import { handleCompletion } from './completion.js';
import type { Exchange, SimulatorState } from './exchange.js';
import { HttpError, errorBody, sendError, sendJson } from './http.js';

/**
 * Answers one request: /health without a key (vLLM's --api-key guards /v1 only), then auth (as
 * real gateways do), then the path.
 */
export async function route(exchange: Exchange, state: SimulatorState): Promise<void> {
  const { req, res, log } = exchange;
  const { apiKey, model } = state.options;
  const loading = performance.now() < state.readyAtMs;
  if (log.path === '/health') {
    requireMethod(req.method, 'GET');
    sendJson(res, loading ? 503 : 200, loading ? errorBody('Loading model.', 'server_error') : {});
    return;
  }
  if (apiKey !== undefined && req.headers.authorization !== `Bearer ${apiKey}`) {
    sendJson(
      res,
      401,
      errorBody('Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key'),
    );
    return;
  }
  switch (log.path) {
    case '/v1/models':
      requireMethod(req.method, 'GET');
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: model, object: 'model', created: 0, owned_by: 'llm-perf-gate-simulator' }],
      });
      return;
    case '/v1/chat/completions':
      requireMethod(req.method, 'POST');
      if (loading) throw new HttpError(503, 'Loading model.', 'server_error');
      await handleCompletion('chat', exchange, state);
      return;
    case '/v1/completions':
      requireMethod(req.method, 'POST');
      if (loading) throw new HttpError(503, 'Loading model.', 'server_error');
      await handleCompletion('completions', exchange, state);
      return;
    default:
      throw new HttpError(404, `Unknown path ${log.path}.`, 'not_found_error');
  }
}

function requireMethod(actual: string | undefined, expected: string): void {
  if (actual !== expected) {
    throw new HttpError(405, `Method ${actual ?? '?'} not allowed; use ${expected}.`);
  }
}

/** Turns whatever a handler threw into an answer, or cuts the connection if one has begun. */
export function failExchange(exchange: Exchange, error: unknown): void {
  const { res } = exchange;
  if (res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    sendError(res, error);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendError(res, new HttpError(500, `Simulator error: ${message}`, 'server_error'));
}
