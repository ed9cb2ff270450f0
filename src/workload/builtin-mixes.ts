import { mixFingerprint } from './fingerprint.js';
import type { Mix, MixClass } from './types.js';

/*
 * Built-in mixes live in code, not files, so the bundled action needs nothing on disk. They are
 * kept modest (short outputs, a few thousand input tokens at most) so a demo run is quick.
 */

export const BUILTIN_MIX_NAMES = ['short-chat', 'long-context', 'mixed'] as const;
export type BuiltinMixName = (typeof BUILTIN_MIX_NAMES)[number];

const CONCISE = 'You are a helpful assistant. Answer clearly and concisely.';

const QUESTIONS = [
  'What is the difference between a process and a thread?',
  'Why is the sky blue?',
  'What does HTTP status code 429 mean and how should a client react to it?',
  'How many bytes are in a kibibyte, and how does that differ from a kilobyte?',
  'What is the capital of Australia, and why is it not Sydney?',
  'What causes the seasons on Earth?',
  'What is a good way to store passwords in a database?',
  'Which is larger, 2^32 or 4 billion, and by how much?',
];

const EXPLANATIONS = [
  'Explain TCP slow start to a junior engineer.',
  'Explain how a hash map handles collisions, with a small example.',
  'Explain the CAP theorem and give one real system for each trade-off.',
  'How does HTTPS protect a login form? Walk through the handshake briefly.',
  'Explain what a p95 latency is and why averages hide tail latency.',
  'Describe how garbage collection works in a generational collector.',
  'What is backpressure in a streaming system, and how do systems apply it?',
];

const REWRITES = [
  'Rewrite this sentence to be more formal: "hey, the build is broken again, can someone look?"',
  'Summarize in one sentence: "The meeting moved to Thursday because the client asked for more time to review the proposal, and the design team needs two more days for the mock-ups."',
  'Translate to French: "The train leaves at eight, so we should be at the station by half past seven."',
  'Fix the grammar: "Me and him goes to the store yesterday and buyed three apple."',
  'Turn these notes into a short polite email: "deadline friday, need the report, thanks for the help last week".',
];

const CODE = [
  'Write a Python function that returns the n-th Fibonacci number iteratively.',
  'Write a TypeScript function that debounces another function.',
  'In SQL, select the top three customers by total order value from tables customers(id, name) and orders(id, customer_id, amount).',
  'Write a Bash one-liner that counts the lines of every .ts file under src and prints the total.',
  'Explain what this does and fix the bug: `for (var i = 0; i < 3; i++) setTimeout(() => console.log(i));`',
  'Write a Go function that reverses a slice of ints in place.',
  'Write a regular expression that matches an ISO 8601 date like 2024-03-15, and explain it.',
  'Convert this callback code to async/await: `fs.readFile(p, (err, data) => { if (err) throw err; console.log(data); })`',
];

const DOCUMENT_QA = 'Answer the question using only the document. Cite the section you used.';

/** RAG-like: a long shared document prefix (cacheable) followed by a per-request question. */
const RAG: MixClass = {
  name: 'rag-qa',
  weight: 3,
  maxTokens: 256,
  system: DOCUMENT_QA,
  synthetic: { inputTokens: 3000, inputTokensSpread: 1000, sharedPrefixTokens: 1500 },
};

const BUILTIN_CLASSES: Record<BuiltinMixName, MixClass[]> = {
  'short-chat': [
    { name: 'question', weight: 3, maxTokens: 128, system: CONCISE, prompts: QUESTIONS },
    { name: 'explain', weight: 2, maxTokens: 256, system: CONCISE, prompts: EXPLANATIONS },
    { name: 'rewrite', weight: 1, maxTokens: 128, prompts: REWRITES },
  ],
  'long-context': [
    RAG,
    {
      name: 'summarize',
      weight: 1,
      maxTokens: 256,
      system: 'Summarize the document in five bullet points.',
      synthetic: { inputTokens: 3000, inputTokensSpread: 1000 },
    },
  ],
  mixed: [
    {
      name: 'chat',
      weight: 6,
      maxTokens: 128,
      system: CONCISE,
      prompts: QUESTIONS.concat(REWRITES),
    },
    { name: 'rag-qa', weight: 2, maxTokens: 256, system: DOCUMENT_QA, synthetic: RAG.synthetic },
    {
      name: 'code',
      weight: 2,
      maxTokens: 256,
      system: 'You are an expert programmer. Reply with code first, then a short explanation.',
      prompts: CODE,
    },
  ],
};

export function isBuiltinMixName(name: string): name is BuiltinMixName {
  return (BUILTIN_MIX_NAMES as readonly string[]).includes(name);
}

/** The built-in mix of that name (a fresh copy each time), or undefined. */
export function builtinMix(name: string): Mix | undefined {
  if (!isBuiltinMixName(name)) return undefined;
  const classes = structuredClone(BUILTIN_CLASSES[name]);
  return { name, source: `builtin:${name}`, classes, fingerprint: mixFingerprint(classes) };
}
