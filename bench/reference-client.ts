import { performance } from 'node:perf_hooks';
import type { RequestRecord } from '../src/client/types.js';
import type { RequestSender } from '../src/load/runner.js';
import type { PlannedRequest } from '../src/workload/types.js';

interface ReferenceChunk {
  choices?: Array<{ delta?: { content?: string | null }; text?: string }>;
  usage?: { completion_tokens?: number } | null;
}

/**
 * The floor to beat: what a careful few lines of code would do. Built-in fetch, a TextDecoder,
 * events split on blank lines, `JSON.parse` on each; first content stamped at the read that
 * brought it, the body read to its end (so keep-alive connections are reused). Same request
 * bodies as StreamClient; no fault handling beyond "not ok".
 */
export class ReferenceClient implements RequestSender {
  readonly #url: string;
  readonly #model: string;

  constructor(options: { endpoint: string; model: string }) {
    this.#url = `${options.endpoint.replace(/\/+$/, '')}/chat/completions`;
    this.#model = options.model;
  }

  async send(
    planned: PlannedRequest,
    context: { scheduleDelayMs: number },
  ): Promise<RequestRecord> {
    const record: RequestRecord = {
      index: planned.index,
      className: planned.className,
      ok: false,
      startMs: performance.now(),
      scheduleDelayMs: context.scheduleDelayMs,
      e2eMs: 0,
      itlMs: [],
      outputTokens: 0,
      outputTokensEstimated: false,
      tokenCounting: 'usage',
      textEvents: 0,
      maxTokens: planned.maxTokens,
    };
    const body = JSON.stringify({
      model: this.#model,
      ...planned.body,
      stream: true,
      stream_options: { include_usage: true },
    });
    try {
      const response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body,
      });
      record.status = response.status;
      if (!response.ok || !response.body) return finish(record);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const read = await reader.read();
        if (read.done) break;
        const arrivalMs = performance.now();
        buffer += decoder.decode(read.value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          const data = event.startsWith('data: ') ? event.slice(6) : event;
          if (data === '[DONE]') {
            record.ok = true;
            continue;
          }
          const chunk = JSON.parse(data) as ReferenceChunk;
          const choice = chunk.choices?.[0];
          if (choice?.delta?.content || choice?.text) {
            record.ttftMs ??= arrivalMs - record.startMs;
            record.textEvents++;
          }
          if (chunk.usage?.completion_tokens) record.outputTokens = chunk.usage.completion_tokens;
        }
      }
    } catch {
      record.ok = false;
    }
    return finish(record);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function finish(record: RequestRecord): RequestRecord {
  record.e2eMs = performance.now() - record.startMs;
  if (record.outputTokens === 0) {
    record.outputTokens = record.textEvents;
    record.outputTokensEstimated = true;
    record.tokenCounting = 'characters';
  }
  return record;
}
