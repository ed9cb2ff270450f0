import type { Dispatcher } from 'undici';
import type { ApiKind } from '../domain/config.js';
import { describeTransportError } from './classify.js';

/**
 * What one GET learnt: a status (and for /models the ids listed, and whether the server answers
 * whatever model is asked for), or why no answer came.
 */
export type ProbeAnswer =
  { status: number; models?: string[]; anyModelName?: boolean } | { error: string };

/** The start of an error body: what a server says about an unknown model fits in it. */
const ANSWER_SHOWN = 300;
/** Enough for any answer a ready server gives to a GET; a probe never holds up a run for long. */
const PROBE_TIMEOUT_MS = 5000;
/** The fingerprint keeps this many ids: enough to tell what is served, bounded for the results. */
const MAX_MODELS = 50;

/** The headers a probe sends: the run's (auth included) without the body's content type. */
export function probeHeaders(apiKey: string | undefined, headers: Record<string, string>) {
  return {
    'user-agent': 'llm-perf-gate',
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    ...headers,
  };
}

/** GET /health at the endpoint's origin, where vLLM, SGLang, TGI and llama.cpp answer 200 when ready. */
export function requestHealth(
  dispatcher: Dispatcher,
  endpoint: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<ProbeAnswer> {
  return get(dispatcher, new URL(endpoint).origin, '/health', headers, signal, false);
}

/** `{endpoint}/{route}` as an origin and a path, keeping the endpoint's query (Azure's api-version). */
export function endpointRoute(endpoint: string, route: string): { origin: string; path: string } {
  const url = new URL(endpoint);
  return { origin: url.origin, path: `${url.pathname.replace(/\/+$/, '')}/${route}${url.search}` };
}

/** The route a run's requests go to. */
export function completionsRoute(endpoint: string, api: ApiKind) {
  return endpointRoute(endpoint, api === 'chat' ? 'chat/completions' : 'completions');
}

/** GET {endpoint}/models: the status and, on a 200, the model ids listed. */
export function requestModels(
  dispatcher: Dispatcher,
  endpoint: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<ProbeAnswer> {
  const { origin, path } = endpointRoute(endpoint, 'models');
  return get(dispatcher, origin, path, headers, signal, true);
}

/** How the endpoint answered a one-token request: its status and the start of its body. */
export type OneTokenAnswer = { status: number; body: string } | { error: string };

/**
 * Asks for one token of `model`, not streamed: whether an endpoint answers a model its /models
 * does not list (proxies and routers often serve aliases they do not list).
 */
export async function requestOneToken(
  dispatcher: Dispatcher,
  target: { endpoint: string; api: ApiKind; model: string; timeoutMs: number },
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<OneTokenAnswer> {
  const { origin, path } = completionsRoute(target.endpoint, target.api);
  const prompt =
    target.api === 'chat' ? { messages: [{ role: 'user', content: 'Hi' }] } : { prompt: 'Hi' };
  const timeout = AbortSignal.timeout(target.timeoutMs);
  try {
    const response = await dispatcher.request({
      origin,
      path,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: target.model, ...prompt, max_tokens: 1, stream: false }),
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text.slice(0, ANSWER_SHOWN) };
  } catch (error) {
    if (timeout.aborted) return { error: `no answer within ${target.timeoutMs} ms` };
    return { error: signal?.aborted ? 'cancelled' : describeTransportError(error) };
  }
}

/**
 * Asks GET /models which models the endpoint serves: recorded with the results so a later
 * comparison can tell when the thing measured changed. Best effort: no answer is no error.
 */
export async function probeModels(
  dispatcher: Dispatcher,
  endpoint: string,
  headers: Record<string, string>,
): Promise<string[] | undefined> {
  const answer = await requestModels(dispatcher, endpoint, headers);
  return 'status' in answer ? answer.models : undefined;
}

/** One line for the log or an error: `GET /health answered 503` or the transport error. */
export function describeAnswer(what: string, answer: ProbeAnswer): string {
  return 'status' in answer ? `${what} answered ${answer.status}` : `${what}: ${answer.error}`;
}

async function get(
  dispatcher: Dispatcher,
  origin: string,
  path: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  readModels: boolean,
): Promise<ProbeAnswer> {
  const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    const response = await dispatcher.request({
      origin,
      path,
      method: 'GET',
      headers,
      headersTimeout: PROBE_TIMEOUT_MS,
      bodyTimeout: PROBE_TIMEOUT_MS,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (response.statusCode !== 200 || !readModels) {
      await response.body.dump();
      return { status: response.statusCode };
    }
    const payload: unknown = await response.body.json().catch(() => undefined);
    const models = modelIds(payload);
    if (!models) return { status: 200 };
    return servesAnyName(payload)
      ? { status: 200, models, anyModelName: true }
      : { status: 200, models };
  } catch (error) {
    if (timeout.aborted) return { error: 'no answer within 5 s' };
    return { error: signal?.aborted ? 'no answer in time' : describeTransportError(error) };
  }
}

/**
 * llama.cpp's server with one model (`owned_by: "llamacpp"`, no router `status`) ignores the
 * `model` of a request: any name is served by its one model.
 */
function servesAnyName(payload: unknown): boolean {
  const data = (payload as { data?: unknown }).data as Array<Record<string, unknown>>;
  return data.length === 1 && data[0]?.owned_by === 'llamacpp' && !('status' in data[0]);
}

/** The ids of an OpenAI-style list (`{"data": [{"id": …}]}`); undefined for any other shape. */
function modelIds(payload: unknown): string[] | undefined {
  const data = (payload as { data?: unknown } | null | undefined)?.data;
  if (!Array.isArray(data)) return undefined;
  const ids = data
    .map((model: unknown) => (model as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === 'string');
  return ids.slice(0, MAX_MODELS);
}
