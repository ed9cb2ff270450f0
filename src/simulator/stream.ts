import {
  SSE_DONE,
  errorEventPayload,
  roleChunk,
  sseEvent,
  tokenChunk,
  usage,
  usageChunk,
} from './chunks.js';
import type { CompletionJob } from './exchange.js';
import { FAULT_AFTER_TOKENS } from './faults.js';
import { SSE_HEADERS } from './http.js';
import { SseWriter } from './sse-writer.js';
import { hugeText, tokenText } from './tokens.js';

const HUGE_EVENT_CHARS = 1_000_000;
const SLOW_LORIS_BYTE_MS = 200;
const MALFORMED_EVENT = 'data: {not json\n\n';

/**
 * Streams a completion as OpenAI does: headers at once, then (chat) a role chunk after prefill,
 * one event per token as the engine produces it with finish_reason on the last, an optional
 * usage chunk and `data: [DONE]`. Mid-stream faults act right after token FAULT_AFTER_TOKENS.
 */
export function streamCompletion(job: CompletionJob): void {
  const { exchange, options, engine, request, generation, identity, fault } = job;
  const { res, log, timers } = exchange;
  const writer = new SseWriter(res, timers);
  const isChat = request.api === 'chat';
  const faultTokenIndex = Math.min(FAULT_AFTER_TOKENS, generation.outputTokens) - 1;

  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  if (isChat && options.nullContentFirstChunk) writer.write(sseEvent(roleChunk(identity, null)));

  const finish = (): void => {
    if (request.includeUsage && options.sendUsage) {
      writer.write(sseEvent(usageChunk(identity, usage(request.inputTokens, generation))));
    }
    writer.write(SSE_DONE);
    writer.end();
  };

  /** Returns true when the fault ended this stream. */
  const actOnMidstreamFault = (): boolean => {
    switch (fault) {
      case 'breakMidstream':
        handle.cancel();
        res.destroy();
        return true;
      case 'stallMidstream':
        handle.cancel();
        timers.after(options.stallMs, () => res.destroy());
        return true;
      case 'errorEvent':
        handle.cancel();
        writer.write(sseEvent(errorEventPayload()));
        writer.write(SSE_DONE);
        writer.end();
        return true;
      case 'malformedEvent':
        writer.write(MALFORMED_EVENT);
        return false;
      default:
        return false;
    }
  };

  const handle = engine.submit(request.inputTokens, generation.outputTokens, {
    onPrefilled: () => {
      if (isChat && options.roleChunkFirst && !options.nullContentFirstChunk) {
        writer.write(sseEvent(roleChunk(identity, '')));
      }
    },
    onToken: (index, isLast) => {
      const atFault = index === faultTokenIndex;
      const text = atFault && fault === 'hugeEvent' ? hugeText(HUGE_EVENT_CHARS) : tokenText(index);
      const kind = index < generation.reasoningTokens ? 'reasoning' : 'content';
      const event = sseEvent(
        tokenChunk(identity, text, kind, isLast ? generation.finishReason : null),
      );
      if (index === 0 && fault === 'slowLoris') writer.trickle(event, SLOW_LORIS_BYTE_MS);
      else writer.write(event);
      log.firstTokenAtMs ??= performance.now();
      log.outputTokens = index + 1;
      if (atFault && actOnMidstreamFault()) return;
      if (isLast) finish();
    },
  });
  res.once('close', () => handle.cancel());
}
