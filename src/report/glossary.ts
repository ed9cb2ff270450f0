/** One-line metric definitions for the "How to read this" part of a report (same as the README). */
export const GLOSSARY: ReadonlyArray<{ term: string; definition: string }> = [
  {
    term: 'TTFT',
    definition:
      'time to first token: from just before the request is sent to the first streamed event that carries generated text.',
  },
  {
    term: 'TTFB',
    definition:
      'time to first byte (response headers); a large gap to TTFT points at buffering or a slow prefill.',
  },
  {
    term: 'ITL',
    definition: 'inter-token latency: every gap between successive text-carrying events, pooled.',
  },
  {
    term: 'TPOT',
    definition: 'time per output token of one request: (E2E − TTFT) / (output tokens − 1).',
  },
  { term: 'E2E', definition: 'end-to-end latency: request start to the end of the stream.' },
  {
    term: 'Output tokens/s',
    definition:
      'output tokens of successful requests / measurement window (first start to last end).',
  },
  { term: 'Requests/s', definition: 'successful measured requests / measurement window.' },
  {
    term: 'Error rate',
    definition:
      'failed / measured requests; a failure is a transport error, timeout, non-2xx status, bad stream or empty answer.',
  },
  { term: 'Goodput', definition: 'requests/s that met every SLO that was set.' },
  {
    term: 'pN',
    definition:
      'percentile from an HDR histogram; p95 needs about 200 samples and p99 about 1,000 to be stable.',
  },
  {
    term: 'Status',
    definition:
      '✅ within the threshold · ❌ regression: beyond the threshold and beyond run-to-run noise · 🟡 noise: beyond the threshold but within noise · 🟢 improvement · ⚠️ too few samples to judge · — not gated (shown for context).',
  },
];
