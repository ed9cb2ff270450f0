import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, MixError } from '../../src/errors.js';
import {
  BUILTIN_MIX_NAMES,
  createSampler,
  loadMix,
  mixFingerprint,
  shortFingerprint,
  type Mix,
  type SamplerOptions,
} from '../../src/workload/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/mixes/', import.meta.url));
const chat: SamplerOptions = { seed: 42, api: 'chat', extraBody: {}, cacheBust: false };

function userContent(body: Record<string, unknown>): string {
  const messages = body.messages as { role: string; content: string }[];
  return messages[messages.length - 1]!.content;
}

function inlineMix(classes: Mix['classes']): Mix {
  return { name: 'inline', source: 'test', classes, fingerprint: 'test' };
}

describe('loadMix', () => {
  it('gives YAML and JSON spellings of the same content the same fingerprint', async () => {
    const yaml = await loadMix('equivalent.yaml', { baseDir: fixtures });
    const json = await loadMix('equivalent.json', { baseDir: fixtures });
    expect(json.classes).toEqual(yaml.classes);
    expect(json.fingerprint).toBe(yaml.fingerprint);
    expect(yaml.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(shortFingerprint(yaml.fingerprint)).toBe(yaml.fingerprint.slice(0, 12));
    expect(yaml.name).toBe('equivalent');
    expect(json.name).toBe('equivalent'); // the file's base name when the mix has none
    expect(yaml.source).toBe('equivalent.yaml');
  });

  it('normalizes: weight defaults to 1 and zero optional values are dropped', async () => {
    const mix = await loadMix('equivalent.yaml', { baseDir: fixtures });
    expect(mix.classes[2]).toEqual({
      name: 'synthetic-long',
      weight: 1,
      maxTokens: 64,
      synthetic: { inputTokens: 200, sharedPrefixTokens: 150 },
    });
  });

  it('changes the fingerprint when one prompt changes', async () => {
    const original = await loadMix('equivalent.yaml', { baseDir: fixtures });
    const changed = await loadMix('one-prompt-changed.yaml', { baseDir: fixtures });
    expect(changed.fingerprint).not.toBe(original.fingerprint);
  });

  it('changes the fingerprint when one weight changes', async () => {
    const original = await loadMix('equivalent.yaml', { baseDir: fixtures });
    const reweighted = original.classes.map((c, i) => (i === 0 ? { ...c, weight: 4 } : c));
    expect(mixFingerprint(reweighted)).not.toBe(original.fingerprint);
    expect(mixFingerprint(original.classes)).toBe(original.fingerprint);
  });

  it('loads every built-in mix', async () => {
    for (const name of BUILTIN_MIX_NAMES) {
      const mix = await loadMix(name, { baseDir: '/nonexistent' });
      expect(mix.name).toBe(name);
      expect(mix.source).toBe(`builtin:${name}`);
      expect(mix.classes.length).toBeGreaterThan(0);
      expect(mix.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    }
    const shortChat = await loadMix('short-chat', { baseDir: '.' });
    const prompts = shortChat.classes.flatMap((c) => c.prompts ?? []);
    expect(prompts.length).toBeGreaterThanOrEqual(20);
    const fingerprints = new Set(
      await Promise.all(
        BUILTIN_MIX_NAMES.map(async (n) => (await loadMix(n, { baseDir: '.' })).fingerprint),
      ),
    );
    expect(fingerprints.size).toBe(BUILTIN_MIX_NAMES.length);
  });

  it('reads JSONL prompts files: prompt, plain string, last user message, text parts', async () => {
    const mix = await loadMix('files.yaml', { baseDir: fixtures });
    expect(mix.classes[0]!.prompts).toEqual([
      'What is retrieval-augmented generation?',
      'How do vector databases index embeddings?',
      'Summarize the answer above.',
      'Describe this chart.',
      'The last prompt of the file.',
    ]);
  });

  it('reads ShareGPT files: the first human turn of each conversation', async () => {
    const mix = await loadMix('files.yaml', { baseDir: fixtures });
    expect(mix.classes[1]!.prompts).toEqual([
      'How do I center a div?',
      'Write a haiku about latency.',
    ]);
  });

  it('applies limit to a prompts file', async () => {
    const mix = await loadMix('equivalent.yaml', { baseDir: fixtures });
    expect(mix.classes[1]!.prompts).toEqual([
      'What is retrieval-augmented generation?',
      'How do vector databases index embeddings?',
      'Summarize the answer above.',
    ]);
  });
});

describe('loadMix errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'workload-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function loadError(file: string, content: string): Promise<string> {
    await writeFile(path.join(dir, file), content);
    const error: unknown = await loadMix(file, { baseDir: dir }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MixError);
    const message = (error as MixError).message;
    expect(message).not.toContain('\n');
    return message;
  }

  const chatClass = 'name: a\n    max_tokens: 8\n    prompts: [hi]';

  it.each([
    [
      'a non-integer max_tokens',
      'classes:\n  - name: a\n    max_tokens: 8\n    prompts: [hi]\n  - name: b\n    max_tokens: lots\n    prompts: [hi]\n',
      'prompt-mix mix.yaml: classes[1].max_tokens must be a positive integer, got "lots"',
    ],
    [
      'a missing max_tokens',
      'classes:\n  - name: a\n    prompts: [hi]\n',
      'prompt-mix mix.yaml: classes[0].max_tokens is required: a positive integer',
    ],
    [
      'an unknown top-level key',
      'clases: []\n',
      'prompt-mix mix.yaml: clases is not a known key (allowed: name, classes)',
    ],
    [
      'an unknown class key',
      'classes:\n  - name: a\n    max_token: 8\n    prompts: [hi]\n',
      'prompt-mix mix.yaml: classes[0].max_token is not a known key (allowed: name, weight, max_tokens, system, prompts, prompts_file, limit, synthetic)',
    ],
    [
      'an unknown synthetic key',
      'classes:\n  - name: a\n    max_tokens: 8\n    synthetic: { input_tokens: 10, prefix: 2 }\n',
      'prompt-mix mix.yaml: classes[0].synthetic.prefix is not a known key (allowed: input_tokens, input_tokens_spread, shared_prefix_tokens)',
    ],
    [
      'two prompt sources',
      'classes:\n  - name: a\n    max_tokens: 8\n    prompts: [hi]\n    synthetic: { input_tokens: 10 }\n',
      'prompt-mix mix.yaml: classes[0] must have exactly one of prompts, prompts_file, synthetic; found prompts and synthetic',
    ],
    [
      'no prompt source',
      'classes:\n  - name: a\n    max_tokens: 8\n',
      'prompt-mix mix.yaml: classes[0] must have exactly one of prompts, prompts_file, synthetic; found none',
    ],
    [
      'a zero weight',
      'classes:\n  - name: a\n    weight: 0\n    max_tokens: 8\n    prompts: [hi]\n',
      'prompt-mix mix.yaml: classes[0].weight must be a positive number, got 0',
    ],
    [
      'a duplicate class name',
      `classes:\n  - ${chatClass}\n  - ${chatClass}\n`,
      'prompt-mix mix.yaml: classes[1].name "a" is already used by classes[0]',
    ],
    ['no classes', 'classes: []\n', 'prompt-mix mix.yaml: classes must hold at least one class'],
    [
      'a missing classes list',
      'name: x\n',
      'prompt-mix mix.yaml: classes is required: a list of classes',
    ],
    [
      'an empty prompt list',
      'classes:\n  - name: a\n    max_tokens: 8\n    prompts: []\n',
      'prompt-mix mix.yaml: classes[0].prompts must hold at least one prompt',
    ],
    [
      'an empty prompt',
      'classes:\n  - name: a\n    max_tokens: 8\n    prompts: [hi, ""]\n',
      'prompt-mix mix.yaml: classes[0].prompts[1] must be a non-empty string, got ""',
    ],
    [
      'limit without prompts_file',
      'classes:\n  - name: a\n    max_tokens: 8\n    limit: 3\n    prompts: [hi]\n',
      'prompt-mix mix.yaml: classes[0].limit only applies to prompts_file',
    ],
    [
      'a shared prefix as long as the prompt',
      'classes:\n  - name: a\n    max_tokens: 8\n    synthetic: { input_tokens: 100, input_tokens_spread: 20, shared_prefix_tokens: 80 }\n',
      'prompt-mix mix.yaml: classes[0].synthetic.shared_prefix_tokens must be less than the shortest prompt (input_tokens - input_tokens_spread = 80), got 80',
    ],
    [
      'a spread as large as input_tokens',
      'classes:\n  - name: a\n    max_tokens: 8\n    synthetic: { input_tokens: 100, input_tokens_spread: 100 }\n',
      'prompt-mix mix.yaml: classes[0].synthetic.input_tokens_spread must be less than input_tokens (100), got 100',
    ],
    [
      'a top level that is not a mapping',
      '- a\n- b\n',
      'prompt-mix mix.yaml: the file must hold a mapping with a "classes" list, got a list',
    ],
    [
      'a YAML syntax error',
      'classes:\n  - name: a\n   max_tokens: 8\n',
      'prompt-mix mix.yaml: invalid YAML at line 3, column',
    ],
    [
      'a missing prompts file',
      'classes:\n  - name: a\n    max_tokens: 8\n    prompts_file: data/missing.jsonl\n',
      'prompt-mix mix.yaml: classes[0].prompts_file data/missing.jsonl: file not found',
    ],
  ])('rejects %s with a one-line message naming the field', async (_case, content, expected) => {
    expect(await loadError('mix.yaml', content)).toContain(expected);
  });

  it('reports JSON syntax errors with a line number', async () => {
    const message = await loadError(
      'mix.json',
      '{\n  "classes": [\n    { "name": "a", }\n  ]\n}\n',
    );
    expect(message).toMatch(/^prompt-mix mix\.json is not valid JSON at line 3, column \d+ \(/);
  });

  it('reports a bad JSONL line with its line number', async () => {
    await writeFile(path.join(dir, 'bad.jsonl'), '{"prompt": "ok"}\n{"prompt": \n');
    const message = await loadError(
      'bad-lines.yaml',
      'classes:\n  - name: a\n    max_tokens: 8\n    prompts_file: bad.jsonl\n',
    );
    expect(message).toMatch(
      /^prompt-mix bad-lines\.yaml: classes\[0\]\.prompts_file bad\.jsonl: line 2 is not valid JSON \(/,
    );
  });

  it('reports a JSONL record of an unknown shape', async () => {
    await writeFile(path.join(dir, 'shape.jsonl'), '{"text": "no prompt key"}\n');
    const message = await loadError(
      'shape.yaml',
      'classes:\n  - name: a\n    max_tokens: 8\n    prompts_file: shape.jsonl\n',
    );
    expect(message).toContain('classes[0].prompts_file shape.jsonl: line 1: expected a string');
    expect(message).toContain('got a mapping');
  });

  it('rejects a prompts file without prompts', async () => {
    await writeFile(path.join(dir, 'empty.jsonl'), '\n');
    const message = await loadError(
      'empty.yaml',
      'classes:\n  - name: a\n    max_tokens: 8\n    prompts_file: empty.jsonl\n',
    );
    expect(message).toBe(
      'prompt-mix empty.yaml: classes[0].prompts_file empty.jsonl: holds no prompts',
    );
  });

  it('rejects an unsupported mix file type', async () => {
    expect(await loadError('mix.txt', 'classes: []')).toBe(
      'prompt-mix mix.txt: unsupported file type ".txt" (expected .yaml, .yml or .json)',
    );
  });

  it('names the built-ins when the file is missing', async () => {
    await expect(loadMix('perf/mix.yaml', { baseDir: dir })).rejects.toThrow(
      new MixError(
        'prompt-mix: file not found: perf/mix.yaml (and not a built-in mix: short-chat, long-context, mixed)',
      ),
    );
  });
});

describe('createSampler', () => {
  const mix = inlineMix([
    { name: 'a', weight: 3, maxTokens: 16, system: 'sys', prompts: ['p1', 'p2', 'p3'] },
    { name: 'b', weight: 1, maxTokens: 32, prompts: ['q1', 'q2'] },
  ]);

  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const run = (seed: number) => {
      const sample = createSampler(mix, { ...chat, seed });
      return Array.from({ length: 50 }, (_, i) => sample(i));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(8)).not.toEqual(run(7));
  });

  it('is index-addressable, independent of call order', () => {
    const sequential = createSampler(mix, chat);
    const run = Array.from({ length: 20 }, (_, i) => sequential(i));
    const shuffled = createSampler(mix, chat);
    expect(shuffled(5)).toEqual(run[5]);
    for (const i of [19, 3, 3, 0, 12]) expect(shuffled(i)).toEqual(run[i]);
  });

  it('draws classes by weight', () => {
    const sample = createSampler(mix, chat);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (sample(i).className === 'a') a++;
    expect(a / 10_000).toBeGreaterThan(0.73);
    expect(a / 10_000).toBeLessThan(0.77);
  });

  it('builds chat and completions bodies', () => {
    const chatBody = createSampler(mix, chat)(0);
    expect(chatBody.body).toEqual({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: expect.stringMatching(/^p\d$/) },
      ],
      max_tokens: 16,
    });
    const completions = createSampler(inlineMix([mix.classes[0]!]), {
      ...chat,
      api: 'completions',
    })(0);
    expect(completions.body).toEqual({
      prompt: expect.stringMatching(/^sys\n\np\d$/),
      max_tokens: 16,
    });
    expect(completions.maxTokens).toBe(16);
    expect(completions.inputTokensEstimate).toBe(Math.ceil(('sys'.length + 2) / 4));
  });

  it('merges extraBody last and takes its max_tokens as the effective one', () => {
    const extraBody = { ignore_eos: true, min_tokens: 100, max_tokens: 100, temperature: 0 };
    const request = createSampler(mix, { ...chat, extraBody })(3);
    expect(request.body).toMatchObject(extraBody);
    expect(request.maxTokens).toBe(100);
  });

  it('rejects an extraBody max_tokens that is not a positive integer', () => {
    expect(() => createSampler(mix, { ...chat, extraBody: { max_tokens: 'many' } })).toThrow(
      InputError,
    );
  });

  it('puts a unique nonce at the start of the user message when busting caches', () => {
    const sample = createSampler(mix, { ...chat, cacheBust: true });
    const nonces = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const request = sample(i);
      const match = /^\[nonce ([0-9a-f]{8})\] [pq]\d$/.exec(userContent(request.body));
      expect(match).not.toBeNull();
      nonces.add(match![1]!);
    }
    expect(nonces.size).toBe(5_000);
    const completions = createSampler(inlineMix([mix.classes[1]!]), {
      ...chat,
      api: 'completions',
      cacheBust: true,
    })(0);
    expect(completions.body.prompt).toMatch(/^\[nonce [0-9a-f]{8}\] q\d$/);
  });

  it('generates synthetic prompts of about input_tokens words around a shared prefix', () => {
    const synthetic = inlineMix([
      {
        name: 'rag',
        weight: 1,
        maxTokens: 8,
        synthetic: { inputTokens: 300, inputTokensSpread: 50, sharedPrefixTokens: 200 },
      },
    ]);
    const sample = createSampler(synthetic, { ...chat, cacheBust: true });
    const contents = Array.from({ length: 20 }, (_, i) => userContent(sample(i).body));
    const prefixes = contents.map((content) => content.split('\n\n')[0]!);
    expect(new Set(prefixes).size).toBe(1);
    expect(prefixes[0]!.split(' ')).toHaveLength(200);
    for (const content of contents) {
      const [, rest] = content.split('\n\n');
      // The nonce sits after the shared prefix, so the prefix can still hit a prefix cache.
      expect(rest).toMatch(/^\[nonce [0-9a-f]{8}\] /);
      const words = rest!.replace(/^\[nonce [0-9a-f]{8}\] /, '').split(' ').length;
      expect(words + 200).toBeGreaterThanOrEqual(250);
      expect(words + 200).toBeLessThanOrEqual(350);
    }
    expect(new Set(contents).size).toBe(20);
    const estimate = sample(0).inputTokensEstimate;
    expect(estimate).toBeGreaterThan(250);
    expect(estimate).toBeLessThan(450);
  });

  it('samples the built-in mixes', async () => {
    for (const name of BUILTIN_MIX_NAMES) {
      const sample = createSampler(await loadMix(name, { baseDir: '.' }), chat);
      for (let i = 0; i < 20; i++) expect(sample(i).maxTokens).toBeGreaterThan(0);
    }
  });
});
