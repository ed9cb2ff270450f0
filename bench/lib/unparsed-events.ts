import type { EventDecoderFactory } from '../../src/client/stream-client.js';
import type { EventEffects } from '../../src/client/openai-chunk.js';

const ONE_TEXT: EventEffects['texts'] = [{ output: true, text: 'x' }];

/**
 * The transport floor: every chunk counts as one text event (its count stands in for usage) and
 * `[DONE]` ends the stream; nothing is decoded or parsed. What is left of CPU per token is
 * undici, the socket, the kernel and the measurement: what no change to the reader can save.
 * Right only for a server that writes one event per chunk, as the simulator does.
 */
export const unparsedEvents: EventDecoderFactory = (sink) => {
  let chunks = 0;
  return {
    feed(chunk) {
      chunks++;
      if (chunk.includes('[DONE]')) sink.event('done');
      else sink.event({ texts: ONE_TEXT, usageTokens: chunks });
    },
  };
};
