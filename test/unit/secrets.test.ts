import { describe, expect, it } from 'vitest';
import { parseConfig, secretsOf } from '../../src/config/parse.js';
import { credentialHeaderValues, redactSecrets, urlPassword } from '../../src/secrets.js';

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

describe('which values are secrets', () => {
  it('credential headers only, with the parts of an Authorization value', () => {
    const basic = Buffer.from('user:pa55word').toString('base64');
    const values = credentialHeaderValues({
      Connection: 'close',
      'X-Request-Source': 'ci',
      'x-api-key': 'k-123456',
      'X-Auth-Token': 'tok-abcdef',
      Cookie: 'session=zzz999',
      Authorization: `Basic ${basic}`,
    });
    expect(values).toEqual([
      'k-123456',
      'tok-abcdef',
      'session=zzz999',
      `Basic ${basic}`,
      basic,
      'user:pa55word',
      'pa55word',
    ]);
  });

  it('secretsOf: the key, the token, credential headers and URL passwords', () => {
    const config = parseConfig(
      (name) =>
        ({
          endpoint: 'http://user:urlpass99@127.0.0.1:8000/v1',
          model: 'm',
          'api-key': 'sk-key-0001',
          'github-token': 'ghs_token0001',
          headers: 'Connection: close\nX-Custom-Auth: custom-cred-1',
        })[name as string],
    );
    const secrets = secretsOf(config);
    expect(secrets).toEqual(
      expect.arrayContaining(['sk-key-0001', 'ghs_token0001', 'custom-cred-1', 'urlpass99']),
    );
    expect(secrets).not.toContain('close');
    expect(redactSecrets('keep-alive? no: close', secrets)).toBe('keep-alive? no: close');
  });

  it('urlPassword reads a password from URL-shaped text only', () => {
    expect(urlPassword('https://u:p%40ss@host/v1')).toBe('p@ss');
    expect(urlPassword('https://host/v1')).toBeUndefined();
    expect(urlPassword('not a url')).toBeUndefined();
  });
});
