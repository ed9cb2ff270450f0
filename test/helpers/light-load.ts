import { resolve } from 'node:path';

/**
 * A workload whose client does little: outputs of a few tokens (test/fixtures/mixes/tiny.yaml),
 * few streams, and a server whose steps take far longer than the client's work per event. Its
 * event loop then idles most of the time, so its self-check flags the client as the bottleneck
 * only when the machine cannot schedule it for tens of milliseconds at a time, and a test can
 * assert the verdict outright. TTFT is mostly the 40 ms prefill: a change of ×3 or more cannot
 * be mistaken for noise.
 */
export const TINY_MIX = resolve('test/fixtures/mixes/tiny.yaml');
export const LIGHT_CONCURRENCY = '4';
export const LIGHT_SERVER = { prefillBaseMs: 40, decodeStepMs: 5, jitter: 0.05 } as const;
