import { Agent } from 'undici';
import type { MeasureConfig, ReferenceEndpoint } from '../domain/config.js';
import { EndpointError, InputError, PerfGateError, errorMessage } from '../errors.js';
import { describeAnswer, probeHeaders, requestOneToken } from './endpoint-probe.js';
import { oneLine } from './openai-chunk.js';
import { prepareEndpoint, type ReadinessContext } from './readiness.js';

/**
 * Gets the reference endpoint of a paired run ready, as the endpoint is (wait-for-endpoint, the
 * model check), then asks it for one token: a reference that cannot answer would make every pair
 * one-sided, so a wrong URL, key or model stops the run before warm-up with one line naming the
 * reference input that is wrong.
 */
export async function prepareReference(
  config: MeasureConfig,
  reference: ReferenceEndpoint,
  context: ReadinessContext,
): Promise<ReferenceEndpoint> {
  const target: MeasureConfig = {
    ...config,
    endpoint: reference.endpoint,
    model: reference.model || config.model,
    ...(reference.apiKey ? { apiKey: reference.apiKey } : {}),
  };
  if (!reference.apiKey) delete target.apiKey;
  let model: string;
  try {
    model = (await prepareEndpoint(target, context)).config.model;
  } catch (error) {
    throw asReferenceError(error);
  }
  if (context.signal?.aborted) return { ...reference, model };
  const dispatcher = new Agent({ connections: 1 });
  try {
    const headers = probeHeaders(reference.apiKey, config.headers);
    const answer = await requestOneToken(dispatcher, { ...target, model }, headers, context.signal);
    if (context.signal?.aborted) return { ...reference, model };
    if ('error' in answer) {
      throw new EndpointError(
        `reference-endpoint ${reference.endpoint} could not be reached: ${answer.error}; nothing judged`,
      );
    }
    if (answer.status < 200 || answer.status >= 300) {
      const body = answer.body ? `: ${oneLine(answer.body)}` : '';
      const said = `${describeAnswer('a one-token request', answer)}${body}`;
      if (answer.status === 401 || answer.status === 403) {
        throw new InputError(
          'reference-api-key',
          `reference-api-key: ${reference.endpoint} refused it (${said}); nothing judged`,
        );
      }
      if (answer.status === 404 || answer.status === 400) {
        throw new InputError(
          'reference-model',
          `reference-model: ${reference.endpoint} does not serve ${model} (${said}); nothing judged`,
        );
      }
      throw new EndpointError(
        `reference-endpoint ${reference.endpoint} cannot answer (${said}); nothing judged`,
      );
    }
    return { ...reference, model };
  } finally {
    await dispatcher.destroy();
  }
}

/** The candidate's readiness errors, re-addressed to the reference inputs. */
function asReferenceError(error: unknown): unknown {
  if (!(error instanceof PerfGateError)) return error;
  const message = errorMessage(error);
  if (error instanceof InputError && error.input === 'model') {
    return new InputError(
      'reference-model',
      `reference-model: ${message.replace(/\bset model\b/, 'set reference-model')}; nothing judged`,
    );
  }
  if (error instanceof EndpointError) {
    return new EndpointError(`reference-endpoint: ${message}; nothing judged`);
  }
  return error;
}
