import type { Dispatcher } from 'undici';

/**
 * Asks GET /models which models the endpoint serves: recorded with the results so a later
 * comparison can tell when the thing measured changed. Best effort: no answer is no error.
 */
export async function probeModels(
  dispatcher: Dispatcher,
  endpoint: string,
  headers: Record<string, string>,
): Promise<string[] | undefined> {
  const url = new URL(endpoint);
  try {
    const response = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname.replace(/\/+$/, '')}/models${url.search}`,
      method: 'GET',
      headers,
      headersTimeout: 5000,
      bodyTimeout: 5000,
      signal: AbortSignal.timeout(5000),
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return undefined;
    }
    const payload = (await response.body.json()) as { data?: Array<{ id?: unknown }> };
    const ids = (payload.data ?? [])
      .map((model) => model.id)
      .filter((id) => typeof id === 'string');
    return ids.slice(0, 50) as string[];
  } catch {
    return undefined;
  }
}
