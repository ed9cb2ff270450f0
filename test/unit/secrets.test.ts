import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/secrets.js';

describe('redactSecrets', () => {
  const key = 'sk-live-abcdef123456';

  it('hides every occurrence and the base64 form', () => {
    const basic = Buffer.from(key).toString('base64');
    expect(redactSecrets(`a ${key} b ${key} c ${basic}`, [key])).toBe('a *** b *** c ***');
  });

  it('hides a secret cut short by truncation', () => {
    expect(redactSecrets('"authorization":"Bearer sk-live-ab…', [key])).toBe(
      '"authorization":"Bearer ***…',
    );
  });

  it('leaves unrelated truncated text alone', () => {
    expect(redactSecrets('the model is overloaded…', [key])).toBe('the model is overloaded…');
  });

  it('hides credentials in URLs', () => {
    expect(redactSecrets('http://user:pw@host/v1', [])).toBe('http://***@host/v1');
  });
});
