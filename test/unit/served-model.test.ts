import { describe, expect, it } from 'vitest';
import { chooseModel, judgeUnlistedModel } from '../../src/client/served-model.js';
import { InputError } from '../../src/errors.js';

const where = { endpoint: 'http://h/v1', unlisted: 'GET /models answered 404' };

function messageOf(model: string, served: string[] | undefined): string {
  try {
    chooseModel(model, served, where);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('chooseModel', () => {
  it('keeps a listed model, and trusts the input when nothing is listed', () => {
    expect(chooseModel('a', ['b', 'a'], where)).toEqual({ model: 'a' });
    expect(chooseModel('a', undefined, where)).toEqual({ model: 'a' });
    expect(chooseModel('a', [], where)).toEqual({ model: 'a' });
  });

  it("accepts Ollama's implicit :latest and llama.cpp's file ids", () => {
    expect(chooseModel('llama3.2', ['llama3.2:latest'], where).model).toBe('llama3.2');
    expect(chooseModel('qwen.gguf', ['/models/qwen.gguf'], where).model).toBe('qwen.gguf');
    expect(chooseModel('qwen', ['/models/qwen.gguf'], where).model).toBe('qwen');
  });

  it('a server that answers any name (llama.cpp with one model) gets a note, not a stop', () => {
    expect(chooseModel('qwen', ['/m/other.gguf'], { ...where, anyName: true })).toEqual({
      model: 'qwen',
      note: 'model qwen is not listed by http://h/v1 (it serves 1 model: /m/other.gguf), but this server answers any model name with it: measuring on',
    });
  });

  it('an unlisted model names up to five of those served, and a request for it decides', () => {
    const served = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
    const choice = chooseModel('x', served, where);
    expect(choice).toEqual({
      model: 'x',
      unlisted:
        'model x is not listed by http://h/v1 (it serves 7 models: m1, m2, m3, m4, m5 and 2 more)',
    });
    const unlisted = 'unlisted' in choice ? choice.unlisted : '';
    expect(judgeUnlistedModel(unlisted, { status: 200, body: '{}' })).toBe(
      `${unlisted}, but it answered a request for it: measuring on`,
    );
    const notFound = { status: 404, body: '{"error":{"message":"The model `x` does not exist."}}' };
    expect(() => judgeUnlistedModel(unlisted, notFound)).toThrow(
      new InputError(
        'model',
        `${unlisted} and a request for it was answered 404: ${notFound.body}; set model to one of the served ids`,
      ),
    );
    expect(() => judgeUnlistedModel(unlisted, { error: 'connection refused' })).toThrow(
      /a request for it got no answer \(connection refused\); set model/,
    );
  });

  it('picks the only model served when none is given, and says so', () => {
    expect(chooseModel('', ['only'], where)).toEqual({
      model: 'only',
      note: 'model: not set; http://h/v1 serves only only, using it',
    });
    expect(messageOf('', ['a', 'b'])).toBe(
      'model is not set and http://h/v1 serves 2 models: a, b; set model',
    );
    expect(messageOf('', undefined)).toBe(
      'model is not set and http://h/v1 lists no models (GET /models answered 404); set model',
    );
  });
});
