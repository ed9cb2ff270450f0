import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BaselineError, ResultsError } from '../../src/errors.js';
import { parseJsonText, readJsonFile, readJsonFileSync } from '../../src/json-file.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-perf-gate-json-'));
const resultsError = (message: string) => new ResultsError(message);

describe('the one JSON reader', () => {
  it('names what and where in one line, in the error class the caller chose', async () => {
    const missing = join(dir, 'missing.json');
    await expect(readJsonFile(missing, 'results file', resultsError)).rejects.toThrow(
      new ResultsError(`results file ${missing} could not be read: ENOENT`),
    );
    expect(() => readJsonFileSync(dir, 'tokenizer', resultsError)).toThrow(
      `tokenizer ${dir} could not be read: EISDIR`,
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"a": 1,\n');
    const error = await readJsonFile(broken, 'results file', resultsError).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultsError);
    expect((error as Error).message).toMatch(
      new RegExp(`^results file ${broken} is not valid JSON at line 2, column 1 \\([^\\n]+\\)$`),
    );
  });

  it('lets the caller add its fix', () => {
    const parse = () =>
      parseJsonText('{', 'baseline cache:k', (m) => new BaselineError(`${m}; fix or delete it`));
    expect(parse).toThrow(BaselineError);
    expect(parse).toThrow(/^baseline cache:k is not valid JSON \(.+\); fix or delete it$/);
  });

  it('never quotes the text, which may hold a credential', () => {
    for (const text of ['{"Authorization": Bearer sk-0123456789}', 'sk-0123456789', 'undefined']) {
      expect(() => parseJsonText(text, 'headers', resultsError)).toThrow(
        /^headers is not valid JSON/,
      );
      expect(() => parseJsonText(text, 'headers', resultsError)).not.toThrow(/sk-|Bearer|"/);
    }
  });

  it('returns the value', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, '{"a": [1]}');
    expect(await readJsonFile(good, 'results file', resultsError)).toEqual({ a: [1] });
    expect(parseJsonText('[]', 'extra-body', resultsError)).toEqual([]);
  });
});
