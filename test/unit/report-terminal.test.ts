import { describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/domain/judgement.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { buildResults } from '../helpers/results-fixture.js';

const baseline = buildResults({ seed: 1 });
const current = buildResults({
  seed: 2,
  ttftMedianMs: 260,
  failedPerClass: 1,
  commit: 'abc1234abc1234abc1234abc1234abc1234abc12',
});

const gate: GateResult = {
  verdict: 'regression',
  findings: [],
  checks: [
    {
      metric: 'ttft.p95',
      label: 'TTFT p95',
      unit: 'ms',
      baseline: 296,
      current: 388,
      delta: 92,
      relativeDelta: 0.311,
      threshold: {
        metric: 'ttft.p95',
        kind: 'relative',
        value: 0.1,
        direction: 'higher-is-worse',
        source: '+10%',
      },
      status: 'regression',
    },
    {
      metric: 'output_tokens_per_second',
      label: 'Output tokens/s',
      unit: 'tok/s',
      baseline: 200,
      current: 199,
      delta: -1,
      relativeDelta: -0.005,
      status: 'pass',
    },
  ],
};
gate.findings = [{ kind: 'regression', check: gate.checks[0]! }];

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('renderTerminal', () => {
  const text = renderTerminal({
    mode: 'gate',
    verdict: 'regression',
    current,
    baseline,
    gate,
    commitSha: current.provenance.commit,
  });
  const lines = text.split('\n');

  it('leads with the verdict, the key and what was compared', () => {
    expect(lines[0]).toBe(
      'REGRESSION  meta-llama/Llama-3.1-8B-Instruct · h100x1 · short-chat (3f2a9c1e, chat)',
    );
    expect(lines[1]).toBe(
      'Compared abc1234 (this run) with baseline def5678 from 2026-11-02 14:03 UTC.',
    );
    expect(lines[2]).toBe('Regressed: TTFT p95 +31.1% (allowed ≤ +10%)');
  });

  it('aligns the metrics table', () => {
    const header = lines.findIndex((line) => line.startsWith('Metric'));
    const rows = lines.slice(header, header + 4);
    expect(rows[0]).toMatch(/^Metric\s+Baseline\s+Current\s+Δ\s+Allowed\s+Status$/);
    expect(rows[1]).toMatch(/^TTFT p95\s+296 ms\s+388 ms\s+\+31\.1%\s+≤ \+10%\s+REGRESSION$/);
    // Gated rows first, then a divider, then the ungated rows: a dash rather than `ok`.
    expect(rows[2]).toMatch(/^not gated:\s*$/);
    expect(rows[3]).toMatch(/^Output tokens\/s\s+200 tok\/s\s+199 tok\/s\s+−0\.5%\s+—\s+—$/);
    // Right-aligned numbers end in the same column.
    const end = (line: string | undefined, cell: string) =>
      (line ?? '').indexOf(cell) + cell.length;
    expect(end(rows[1], '388 ms')).toBe(end(rows[3], '199 tok/s'));
  });

  it('lists reasons, warnings (alerts marked), per-class figures, errors and run facts', () => {
    expect(text).toContain('Why:\n  - TTFT p95 regressed beyond ≤ +10%');
    expect(text).toMatch(/ {2}! 2 of 500 measured requests failed \(http_\w+ 2\)\./);
    expect(text).toMatch(
      /Per class:\n {2}Class\s+Requests\s+Errors\s+TTFT p50\s+TTFT p95\s+TTFT p95 Δ/,
    );
    expect(text).toMatch(/\n {2}chat\s+250\s+1 \(0\.40%\)\s+\d+ ms/);
    expect(text).toContain(
      'Errors (2 of 500 requests failed):\n  http_429  2  0.40%  chat: 1, summarize: 1',
    );
    expect(text).toMatch(/Run:\n {2}Measured requests: +500 \(498 ok, 2 failed\)/);
    expect(text).not.toContain('```');
  });

  it("shows each error class's first error on one line, cut to a line's length", () => {
    const failing = structuredClone(current);
    const page = `HTTP 500: <html>${'<p>internal error</p>\n'.repeat(40)}</html>`;
    failing.summary.firstErrors = { http_429: page };
    const output = renderTerminal({ mode: 'report', verdict: 'pass', current: failing });
    const line = output.split('\n').find((row) => row.startsWith('  first http_429: '));
    expect(line).toMatch(/^ {2}first http_429: HTTP 500: <html><p>internal error<\/p>/);
    expect(line!.length).toBeLessThan(240);
  });

  it('uses ANSI colours only when asked', () => {
    expect(text).not.toMatch(ANSI);
    const colored = renderTerminal(
      { mode: 'gate', verdict: 'regression', current, baseline, gate },
      { color: true },
    );
    const red = '\u001b[31mREGRESSION\u001b[0m';
    expect(colored.startsWith(`${red}  meta-llama/`)).toBe(true);
    // The status cell of the regressed row, coloured after padding.
    expect(colored).toContain(`${red}\n`);
  });

  it('strips control sequences from endpoint text', () => {
    const hostile = buildResults({
      seed: 3,
      model: 'model\u001b[2J\u001b]0;title\u0007',
      classes: ['a\nb'],
      server: 'srv\r\n\u001b[31mred',
    });
    const output = renderTerminal({ mode: 'report', verdict: 'pass', current: hostile });
    // eslint-disable-next-line no-control-regex
    expect(output.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(output.split('\n')[0]).toMatch(/^REPORT {2}model \[2J \]0;title · /);
    expect(output).toContain('Server header:              srv [31mred');
  });

  it('caps the per-class table', () => {
    const many = buildResults({ seed: 4 });
    const template = many.perClass.chat;
    if (!template) throw new Error('no chat class');
    many.perClass = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`class-${i}`, template]),
    );
    const output = renderTerminal({ mode: 'report', verdict: 'pass', current: many });
    expect(output).toContain('  … and 70 more classes in the results file');
    expect(output).not.toContain('class-50 ');
  });
});

describe('a sweep in the terminal', () => {
  function swept(knee?: { level: number; reason: string }) {
    const results = buildResults({ seed: 5 });
    const level = (value: number, saturated: boolean) => ({
      level: value,
      summary: results.summary,
      histograms: results.histograms.overall,
      trial: results.trials[0]!,
      selfCheck: { ...results.selfCheck, saturated },
    });
    results.sweep = {
      dimension: 'concurrency',
      levels: [level(2, false), level(16, false), level(64, true)],
      ...(knee ? { knee } : {}),
    };
    return results;
  }

  it('is an aligned text table with the knee in words, not markdown', () => {
    const current = swept({ level: 16, reason: 'latency rises **faster** than throughput' });
    const output = renderTerminal({ mode: 'report', verdict: 'pass', current });
    const section = output.slice(output.indexOf('Sweep:'));
    const lines = section.split('\n');
    expect(lines[1]).toBe('  Knee: c=16: latency rises **faster** than throughput.');
    expect(lines[2]).toMatch(/^ {2}Level\s+Req\/s\s+Tok\/s\s+TTFT p50/);
    expect(lines[4]).toMatch(/^ {2}c=16 ◀ knee\s/);
    expect(lines[5]).toMatch(/client-bound$/);
    // Columns line up: every row of the table is as wide as its header up to the Errors column.
    const errorsEnd = lines[2]!.indexOf('Errors') + 'Errors'.length;
    for (const row of lines.slice(3, 6)) expect(row.length).toBeGreaterThanOrEqual(errorsEnd);
    expect(section).not.toMatch(/\|/);
    expect(section).not.toContain('⚠️');
  });

  it('says why there is no knee', () => {
    const current = swept();
    current.sweep!.noKnee = 'throughput still grew at the top level (c=64: tokens/s ×3.10 of c=1)';
    const output = renderTerminal({ mode: 'report', verdict: 'pass', current });
    expect(output).toContain(
      'Sweep:\n  Knee: none: throughput still grew at the top level (c=64: tokens/s ×3.10 of c=1).\n',
    );
  });
});
