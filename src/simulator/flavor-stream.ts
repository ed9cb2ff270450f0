import { usage } from './chunks.js';
import type { CompletionJob } from './exchange.js';
import { FLAVORS, type StreamFlavor } from './flavors.js';
import { SSE_HEADERS } from './http.js';
import { SseWriter } from './sse-writer.js';
import { tokenText } from './tokens.js';

/** What a held-back token and the next one spell together: one character of several bytes. */
const HELD_BACK_TEXT = '☕';

/**
 * Streams a chat completion in the shape of a real server (`flavor`): its first chunks, deltas,
 * finish and usage chunks, line ends and `[DONE]` (or none), on the engine's timing. A chunk is
 * written the moment its token is produced, as the server would.
 */
export function streamFlavored(job: CompletionJob, flavor: StreamFlavor): void {
  const { exchange, options, engine, request, generation, identity } = job;
  const { res, log, timers } = exchange;
  const writer = new SseWriter(res, timers);
  const event = (payload: unknown): string =>
    `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}${flavor.lineEnd}${flavor.lineEnd}`;
  const chunk = (choices: unknown[], extras: Record<string, unknown> = {}) => ({
    ...flavor.envelope(identity),
    choices,
    ...extras,
  });
  const choice = (fields: Record<string, unknown>, finishReason: string | null) =>
    flavor.choice(flavor.delta(fields), finishReason);
  const sendsUsage = request.includeUsage && options.sendUsage;
  const usageBody = () => ({
    ...usage(request.inputTokens, generation),
    ...flavor.usageExtras,
  });

  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  if (flavor.closeAfterResponse) {
    // The socket is detached from the response by the time it finishes: hold on to it now.
    const socket = res.socket;
    res.once('finish', () => socket?.end());
  }
  if (flavor.comment) writer.write(`: ${flavor.comment}${flavor.lineEnd}${flavor.lineEnd}`);
  if (flavor.promptFilterChunk) writer.write(event(flavor.promptFilterChunk));

  const finish = (): void => {
    const closing: Array<Record<string, unknown>> = [];
    if (flavor.finish !== 'last-token') {
      const withUsage = flavor.usage === 'in-finish' && options.sendUsage;
      closing.push(
        chunk(
          [choice(flavor.finish.delta, generation.finishReason)],
          withUsage ? { usage: usageBody() } : {},
        ),
      );
    }
    if (sendsUsage && flavor.usage === 'chunk') closing.push(chunk([], { usage: usageBody() }));
    if (sendsUsage && flavor.usage === 'bare') closing.push({ usage: usageBody() });
    const last = closing.at(-1);
    if (last && flavor.lastChunkExtras) {
      Object.assign(last, flavor.lastChunkExtras(generation.outputTokens, request.inputTokens));
    }
    for (const payload of closing) writer.write(event(payload));
    if (flavor.done) writer.write(event('[DONE]'));
    writer.end();
  };

  let heldBack = '';
  const handle = engine.submit(request.inputTokens, generation.outputTokens, {
    onPrefilled: () => {
      if (flavor.roleChunk?.sentWith === 'prefill') {
        writer.write(event(chunk([choice(flavor.roleChunk.delta, null)])));
      }
    },
    onToken: (index, isLast) => {
      log.outputTokens = index + 1;
      if (index === 0 && flavor.roleChunk?.sentWith === 'first-token') {
        writer.write(event(chunk([choice(flavor.roleChunk.delta, null)])));
      }
      const every = flavor.heldBackEvery;
      if (every !== undefined && (index + 1) % every === 0 && !isLast) {
        heldBack = HELD_BACK_TEXT;
        return;
      }
      writer.write(event(tokenChunk(index, isLast)));
      log.firstTokenAtMs ??= performance.now();
      if (isLast) finish();
    },
  });
  res.once('close', () => handle.cancel());

  function tokenChunk(index: number, isLast: boolean) {
    const text = `${heldBack}${tokenText(index)}`;
    heldBack = '';
    const reasoning = flavor.reasoning;
    const field =
      reasoning && index < Math.min(reasoning.tokens, generation.outputTokens - 1)
        ? reasoning.field
        : 'content';
    const fields = flavor.roleInEveryDelta
      ? { role: 'assistant', [field]: text }
      : { [field]: text };
    const finishReason = flavor.finish === 'last-token' && isLast ? generation.finishReason : null;
    return chunk([choice(fields, finishReason)]);
  }
}

/** The flavor a job streams in, if any: flavors shape chat streams only. */
export function flavorOf(job: CompletionJob): StreamFlavor | undefined {
  const name = job.options.flavor;
  return name !== undefined && job.request.api === 'chat' ? FLAVORS[name] : undefined;
}
