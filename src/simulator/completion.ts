import type { Random } from '../random.js';
import { readJsonBody } from './body.js';
import { HttpError } from './http.js';
import type { ResponseIdentity } from './chunks.js';
import type { CompletionJob, Exchange, SimulatorState } from './exchange.js';
import { answerImmediateFault } from './fault-answers.js';
import { chooseFault } from './faults.js';
import { planGeneration } from './generation.js';
import { answerCompletion } from './non-stream.js';
import { type ApiKind, parseCompletionRequest } from './request.js';
import { streamCompletion } from './stream.js';
import { flavorOf, streamFlavored } from './flavor-stream.js';

/** POST /v1/chat/completions and /v1/completions. Throws HttpError for a bad request. */
export async function handleCompletion(
  api: ApiKind,
  exchange: Exchange,
  state: SimulatorState,
): Promise<void> {
  const request = parseCompletionRequest(api, await readJsonBody(exchange.req));
  const { options } = state;
  if (request.model !== undefined && request.model !== options.model && !options.anyModel) {
    // vLLM's answer to a model it does not serve.
    throw new HttpError(404, `The model \`${request.model}\` does not exist.`, 'NotFoundError');
  }
  const random = state.random.fork(api);
  // Draw order is fixed (fault, length, id) so a seed replays the same answers.
  const fault = chooseFault(options.faults, request.stream, random);
  const generation = planGeneration(request, options, random);
  const identity: ResponseIdentity = {
    api,
    id: responseId(api, random),
    created: Math.floor(Date.now() / 1000),
    model: options.model,
    systemFingerprint: options.systemFingerprint,
  };
  exchange.log.inputTokens = request.inputTokens;
  if (fault) exchange.log.fault = fault;

  const job: CompletionJob = {
    exchange,
    options,
    engine: state.engine,
    request,
    generation,
    identity,
    fault,
  };
  if (answerImmediateFault(job)) return;
  const flavor = flavorOf(job);
  if (request.stream && fault !== 'jsonAnswer') {
    if (flavor) streamFlavored(job, flavor);
    else streamCompletion(job);
  } else answerCompletion(job);
}

function responseId(api: ApiKind, random: Random): string {
  let hex = '';
  for (let i = 0; i < 24; i++) hex += random.int(16).toString(16);
  return `${api === 'chat' ? 'chatcmpl' : 'cmpl'}-${hex}`;
}
