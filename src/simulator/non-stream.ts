import { completionBody, usage } from './chunks.js';
import type { CompletionJob } from './exchange.js';
import { sendJson } from './http.js';
import { tokenText } from './tokens.js';

/** Answers with one JSON completion once the engine has produced every token. */
export function answerCompletion(job: CompletionJob): void {
  const { exchange, engine, request, generation, identity } = job;
  const { res, log } = exchange;
  const content: string[] = [];
  const reasoning: string[] = [];

  const handle = engine.submit(request.inputTokens, generation.outputTokens, {
    onPrefilled: () => {},
    onToken: (index, isLast) => {
      (index < generation.reasoningTokens ? reasoning : content).push(tokenText(index));
      log.outputTokens = index + 1;
      if (!isLast || res.destroyed) return;
      const text = { content: content.join(''), reasoning: reasoning.join('') };
      sendJson(
        res,
        200,
        completionBody(identity, text, generation, usage(request.inputTokens, generation)),
      );
    },
  });
  res.once('close', () => handle.cancel());
}
