import { InputError } from '../errors.js';
import type { OneTokenAnswer } from './endpoint-probe.js';
import { oneLine } from './openai-chunk.js';

/** Ids shown in a message: enough to recognise what is served, short enough for one line. */
const SHOWN_IDS = 5;

export type ModelChoice =
  | {
      model: string;
      /** Set when the model was taken from the endpoint, for the log. */
      note?: string;
    }
  /** Not listed: a request for it decides (src/client/readiness.ts). */
  | { model: string; unlisted: string };

/**
 * Checks `model` against the ids GET /models listed, or picks the only one served when `model`
 * is not set (''). An endpoint that lists nothing (no answer, an empty list) cannot be checked:
 * the given model is trusted. Ollama's implicit `:latest` tag and llama.cpp's file-path ids
 * count as the same model, since those servers accept either name.
 */
export function chooseModel(
  model: string,
  served: readonly string[] | undefined,
  where: {
    endpoint: string;
    /** Why nothing is listed, e.g. `GET /models answered 404`. */
    unlisted: string;
    /** The server answers any model name with its one model (llama.cpp's server). */
    anyName?: boolean;
  },
): ModelChoice {
  const { endpoint } = where;
  const listed = served ?? [];
  if (model === '') {
    if (listed.length === 1) {
      const only = listed[0]!;
      return { model: only, note: `model: not set; ${endpoint} serves only ${only}, using it` };
    }
    const why =
      listed.length === 0
        ? `${endpoint} lists no models (${where.unlisted})`
        : `${endpoint} serves ${describeIds(listed)}`;
    throw new InputError('model', `model is not set and ${why}; set model`);
  }
  if (listed.length === 0 || listed.some((id) => sameModel(id, model))) return { model };
  if (where.anyName) {
    return {
      model,
      note: `model ${model} is not listed by ${endpoint} (it serves ${describeIds(listed)}), but this server answers any model name with it: measuring on`,
    };
  }
  return {
    model,
    unlisted: `model ${model} is not listed by ${endpoint} (it serves ${describeIds(listed)})`,
  };
}

/**
 * A model /models does not list is served when a request for it is answered: proxies and
 * routers serve aliases they do not list. Any other answer is the error a typo deserves.
 */
export function judgeUnlistedModel(unlisted: string, answer: OneTokenAnswer): string {
  if ('status' in answer && answer.status >= 200 && answer.status < 300) {
    return `${unlisted}, but it answered a request for it: measuring on`;
  }
  const got =
    'status' in answer
      ? `a request for it was answered ${answer.status}${answer.body ? `: ${oneLine(answer.body)}` : ''}`
      : `a request for it got no answer (${answer.error})`;
  throw new InputError('model', `${unlisted} and ${got}; set model to one of the served ids`);
}

function sameModel(id: string, model: string): boolean {
  if (id === model) return true;
  const bare = (name: string) => name.replace(/:latest$/, '');
  if (bare(id) === bare(model)) return true;
  const file = id.split(/[\\/]/).at(-1) ?? id;
  return file === model || file.replace(/\.gguf$/i, '') === model;
}

function describeIds(ids: readonly string[]): string {
  const shown = ids.slice(0, SHOWN_IDS).join(', ');
  const more = ids.length > SHOWN_IDS ? ` and ${ids.length - SHOWN_IDS} more` : '';
  return `${ids.length === 1 ? '1 model' : `${ids.length} models`}: ${shown}${more}`;
}
