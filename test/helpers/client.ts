import { StreamClient } from '../../src/client/stream-client.js';
import type { RequestRecord } from '../../src/client/types.js';
import type { PlannedRequest } from '../../src/workload/types.js';

export function plannedChat(index = 0, maxTokens = 16): PlannedRequest {
  return {
    index,
    className: 'test',
    body: { messages: [{ role: 'user', content: 'Say something.' }], max_tokens: maxTokens },
    inputTokensEstimate: 4,
    maxTokens,
  };
}

/** Sends `count` requests one after another with a fresh client; closes it afterwards. */
export async function sendRequests(
  endpoint: string,
  options: {
    count?: number;
    timeoutMs?: number;
    apiKey?: string;
    api?: 'chat' | 'completions';
  } = {},
): Promise<RequestRecord[]> {
  const client = new StreamClient({
    endpoint,
    api: options.api ?? 'chat',
    model: 'sim-llama-8b',
    headers: {},
    connections: 4,
    timeoutMs: options.timeoutMs ?? 5000,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  });
  try {
    const records: RequestRecord[] = [];
    for (let index = 0; index < (options.count ?? 1); index++) {
      const planned =
        options.api === 'completions'
          ? { ...plannedChat(index), body: { prompt: 'Say something.', max_tokens: 16 } }
          : plannedChat(index);
      records.push(await client.send(planned, { scheduleDelayMs: 0 }));
    }
    return records;
  } finally {
    await client.close();
  }
}
