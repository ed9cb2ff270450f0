import { describe, expect, it } from 'vitest';
import type {
  CheckStatus,
  Finding,
  GateResult,
  MetricCheck,
  Verdict,
} from '../../src/domain/judgement.js';
import { MAX_COMMENT_LENGTH, renderReport, type ReportInput } from '../../src/report/markdown.js';
import { warningsFor } from '../../src/results/build.js';
import type { RunResults } from '../../src/domain/results.js';
import { buildResults } from '../helpers/results-fixture.js';

const CURRENT_SHA = 'abc1234abc1234abc1234abc1234abc1234abc12';
const baseline = buildResults({ seed: 1 });
const current = buildResults({ seed: 2, ttftMedianMs: 260, commit: CURRENT_SHA });

/** A gate result over the standard metrics; `statuses` overrides a check's status by label. */
function gateFor(
  verdict: Verdict,
  base: RunResults,
  run: RunResults,
  statuses: Record<string, CheckStatus> = {},
): GateResult {
  const b = base.summary;
  const c = run.summary;
  const latency = (
    label: string,
    metric: string,
    pick: (results: RunResults['summary']) => number,
  ): MetricCheck => {
    const from = pick(b);
    const to = pick(c);
    return {
      metric,
      label,
      unit: 'ms',
      baseline: from,
      current: to,
      delta: to - from,
      relativeDelta: (to - from) / from,
      threshold: {
        metric,
        kind: 'relative',
        value: 0.1,
        direction: 'higher-is-worse',
        source: '+10%',
      },
      status: statuses[label] ?? 'pass',
      evidence: `bootstrap 95% interval, n=${c.distributions.ttft.count}`,
    };
  };
  const checks: MetricCheck[] = [
    latency('TTFT p50', 'ttft.p50', (s) => s.distributions.ttft.p50Ms),
    latency('TTFT p95', 'ttft.p95', (s) => s.distributions.ttft.p95Ms),
    latency('TTFT p99', 'ttft.p99', (s) => s.distributions.ttft.p99Ms),
    latency('ITL p95', 'itl.p95', (s) => s.distributions.itl.p95Ms),
    latency('TPOT p95', 'tpot.p95', (s) => s.distributions.tpot.p95Ms),
    latency('E2E p95', 'e2e.p95', (s) => s.distributions.e2e.p95Ms),
    {
      metric: 'output_tokens_per_second',
      label: 'Output tokens/s',
      unit: 'tok/s',
      baseline: b.outputTokensPerSecond,
      current: c.outputTokensPerSecond,
      delta: c.outputTokensPerSecond - b.outputTokensPerSecond,
      relativeDelta: (c.outputTokensPerSecond - b.outputTokensPerSecond) / b.outputTokensPerSecond,
      threshold: {
        metric: 'output_tokens_per_second',
        kind: 'relative',
        value: 0.1,
        direction: 'lower-is-worse',
        source: '-10%',
      },
      status: statuses['Output tokens/s'] ?? 'pass',
    },
    {
      metric: 'requests_per_second',
      label: 'Requests/s',
      unit: 'req/s',
      baseline: b.requestsPerSecond,
      current: c.requestsPerSecond,
      delta: c.requestsPerSecond - b.requestsPerSecond,
      relativeDelta: (c.requestsPerSecond - b.requestsPerSecond) / b.requestsPerSecond,
      status: statuses['Requests/s'] ?? 'pass',
    },
    {
      metric: 'error_rate',
      label: 'Error rate',
      unit: 'fraction',
      baseline: b.errorRate,
      current: c.errorRate,
      delta: c.errorRate - b.errorRate,
      threshold: {
        metric: 'error_rate',
        kind: 'absolute-change',
        value: 0.01,
        direction: 'higher-is-worse',
        source: '+1pp',
      },
      status: statuses['Error rate'] ?? 'pass',
    },
  ];
  const findings: Finding[] = checks.flatMap((check): Finding[] =>
    check.status === 'regression' ? [{ kind: 'regression', check }] : [],
  );
  return { verdict, checks, findings };
}

function gateInput(verdict: Verdict, statuses: Record<string, CheckStatus> = {}): ReportInput {
  return {
    mode: 'gate',
    verdict,
    current,
    baseline,
    gate: gateFor(verdict, baseline, current, statuses),
    baselinePath: 'baselines/meta-llama/h100x1/short-chat.json',
    commitSha: CURRENT_SHA,
  };
}

const lines = (markdown: string) => markdown.split('\n');

/** Unescaped pipes in a table row: every row of one table has the same number. */
const pipes = (line: string) => (line.match(/(?<!\\)\|/g) ?? []).length;

/** The tables of a report, as arrays of their lines. */
function tables(markdown: string): string[][] {
  const found: string[][] = [];
  let currentTable: string[] = [];
  for (const line of lines(markdown)) {
    if (line.startsWith('|')) currentTable.push(line);
    else if (currentTable.length > 0) {
      found.push(currentTable);
      currentTable = [];
    }
  }
  if (currentTable.length > 0) found.push(currentTable);
  return found;
}

function expectSoundStructure(markdown: string): void {
  expect(markdown.length).toBeLessThan(MAX_COMMENT_LENGTH);
  // Only the HTML we write ourselves.
  const tags = [...markdown.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((match) => match[1]);
  expect(new Set(tags)).toEqual(
    new Set(tags.filter((tag) => ['details', 'summary', 'sub'].includes(tag ?? ''))),
  );
  expect(markdown.split('<details>').length).toBe(markdown.split('</details>').length);
  expect(lines(markdown).filter((line) => line.startsWith('```')).length % 2).toBe(0);
  for (const table of tables(markdown)) {
    const count = pipes(table[0] ?? '');
    for (const row of table) expect(pipes(row)).toBe(count);
  }
}

describe('renderReport', () => {
  it('leads with the verdict and the regressions, then the key and what was compared', () => {
    const markdown = renderReport(gateInput('regression', { 'TTFT p95': 'regression' }));
    const [first, blank, second, third, fourth] = lines(markdown);
    expect(first).toMatch(/^### ❌ Regression: TTFT p95 \+\d+\.\d% \(allowed ≤ \+10%\)$/);
    expect(blank).toBe('');
    expect(second).toBe(
      'meta-llama/Llama-3.1-8B-Instruct · h100x1 · short-chat (3f2a9c1e, chat)  ',
    );
    expect(third).toBe(
      'Compared `abc1234` (this run) with baseline `def5678` from 2026-11-02 14:03 UTC.',
    );
    expect(fourth).toBe('');
    expect(markdown).not.toContain('**Regressed:**');
    expectSoundStructure(markdown);
  });

  it('names two regressions in the headline', () => {
    const markdown = renderReport(
      gateInput('regression', { 'TTFT p95': 'regression', 'E2E p95': 'regression' }),
    );
    expect(lines(markdown)[0]).toMatch(
      /^### ❌ Regression: TTFT p95 \+\d+\.\d% \(allowed ≤ \+10%\) · E2E p95 \+\d+\.\d% \(allowed ≤ \+10%\)$/,
    );
    expect(markdown).not.toContain('**Regressed:**');
  });

  it('counts more than two regressions in the headline and lists them below', () => {
    const markdown = renderReport(
      gateInput('regression', {
        'TTFT p50': 'regression',
        'TTFT p95': 'regression',
        'E2E p95': 'regression',
      }),
    );
    const [first, , second, third, fourth] = lines(markdown);
    expect(first).toBe('### ❌ Regression in 3 metrics');
    expect(second).toMatch(/^meta-llama\/.* \(3f2a9c1e, chat\) {2}$/);
    expect(third).toMatch(/^Compared `abc1234` \(this run\) .* UTC\. {2}$/);
    expect(fourth).toMatch(
      /^\*\*Regressed:\*\* TTFT p50 \+\d+\.\d% \(allowed ≤ \+10%\) · TTFT p95 .* · E2E p95 \+\d+\.\d% \(allowed ≤ \+10%\)$/,
    );
    expectSoundStructure(markdown);
  });

  it('tables the gated metrics first, then the ungated ones apart, for context', () => {
    const markdown = renderReport(
      gateInput('regression', {
        'TTFT p95': 'regression',
        'TTFT p99': 'noise',
        'ITL p95': 'improvement',
        'TPOT p95': 'insufficient',
      }),
    );
    expect(markdown).toContain('| Gated metric | Baseline | Current | Δ | Allowed | Status |');
    const context = markdown.indexOf('<summary>Other metrics (1, not gated: shown for context)');
    expect(context).toBeGreaterThan(markdown.indexOf('| Error rate |'));
    expect(markdown.indexOf('| Requests/s |')).toBeGreaterThan(context);
    const row = (label: string) => lines(markdown).find((line) => line.startsWith(`| ${label} |`));
    for (const label of [
      'TTFT p50',
      'TTFT p99',
      'ITL p95',
      'TPOT p95',
      'E2E p95',
      'Output tokens/s',
      'Requests/s',
      'Error rate',
    ]) {
      expect(row(label), label).toBeDefined();
    }
    // A regressed row is bold: label, current value, change and status.
    expect(lines(markdown).find((line) => line.startsWith('| **TTFT p95** |'))).toMatch(
      /^\| \*\*TTFT p95\*\* \| \d+ ms \| \*\*\d+ ms\*\* \| \*\*\+\d+\.\d%\*\* \| ≤ \+10% \| ❌ \*\*regression\*\* \|$/,
    );
    expect(row('TTFT p99')).toMatch(/🟡 noise \|$/);
    expect(row('ITL p95')).toMatch(/🟢 improvement \|$/);
    expect(row('TPOT p95')).toMatch(/⚠️ insufficient \|$/);
    expect(row('TTFT p50')).toMatch(/\| ✅ \|$/);
    expect(row('Output tokens/s')).toMatch(/tok\/s \| [+−]?\d+\.\d% \| ≥ −10% \| ✅ \|$/);
    expect(row('Error rate')).toBe('| Error rate | 0.00% | 0.00% | 0.00 pp | ≤ +1.00 pp | ✅ |');
    // Ungated: no threshold, so no ✅ and no status column at all.
    expect(row('Requests/s')).toMatch(/req\/s \| [+−]?\d+\.\d% \|$/);
    expect(markdown).toContain('· — not gated (shown for context).');
  });

  it("shows an ungated row's status only when it says something: ⚠️ insufficient", () => {
    const markdown = renderReport(gateInput('pass', { 'Requests/s': 'insufficient' }));
    const row = lines(markdown).find((line) => line.startsWith('| Requests/s |'));
    expect(row).toMatch(/% \| ⚠️ insufficient \|$/);
  });

  it('words the findings, regression first, thresholds as the table shows them', () => {
    const gate = gateFor('regression', baseline, current, { 'TTFT p95': 'regression' });
    const check = gate.checks.find((c) => c.label === 'TTFT p95');
    if (!check?.threshold) throw new Error('no TTFT p95 threshold');
    check.evidence = '+30.0% (99% CI +20% … +40%), p<0.0001';
    check.detectable = { change: 0.3, blind: true };
    const blind = { ...check, label: 'TTFT p99', status: 'pass' as const };
    gate.findings = [{ kind: 'low-sensitivity', check: blind }, ...gate.findings];
    const markdown = renderReport({ mode: 'gate', verdict: 'regression', current, baseline, gate });
    const why = markdown.slice(markdown.indexOf('**Why**'));
    expect(why).toContain(
      '- TTFT p95 regressed beyond ≤ +10%: +30.0% (99% CI +20% … +40%), p&lt;0.0001.\n- TTFT p99 could only detect a change ≥ +30%',
    );
  });

  it('reads the statistics in plain words: how often identical runs differ this much', () => {
    const input = gateInput('regression', { 'TTFT p95': 'regression', 'TTFT p99': 'noise' });
    const checks = input.gate!.checks;
    const p95 = checks.find((check) => check.label === 'TTFT p95')!;
    const p99 = checks.find((check) => check.label === 'TTFT p99')!;
    p95.statistics = { p: 0.00001, interval: { low: 0.2, high: 0.4, confidence: 0.99 } };
    p99.statistics = { p: 0.03 };
    input.gate!.findings = [
      { kind: 'regression', check: p95 },
      { kind: 'noise', check: p99 },
    ];
    const why = renderReport(input).split('**Why**')[1] ?? '';
    expect(why).toMatch(
      /^\n- TTFT p95 \+\d+\.\d% \(allowed ≤ \+10%\): not noise, a change this size shows up in fewer than 1 of 10,000 identical runs\. The true change is most likely between \+20\.0% and \+40\.0%\.\n/,
    );
    expect(why).toMatch(
      /- TTFT p99 \+\d+\.\d% \(allowed ≤ \+10%\): could be noise, a change this size shows up in 3 of 100 identical runs, so it is not failed\. To tell: raise/,
    );
  });

  it('names a large move in an ungated row in one line, without judging it', () => {
    const input = gateInput('regression', { 'TTFT p95': 'regression' });
    const p50 = input.gate!.checks.find((check) => check.label === 'TTFT p50')!;
    delete p50.threshold;
    const markdown = renderReport(input);
    expect(markdown).toMatch(
      /\n\*\*Also moved \(not gated, not judged\):\*\* TTFT p50 \+\d+\.\d%\n/,
    );
    expect(markdown.indexOf('**Also moved')).toBeLessThan(markdown.indexOf('**Why**'));
  });

  it('collapses a clean pass to the headline, the gated rows and one details block', () => {
    const markdown = renderReport(gateInput('pass'));
    const table = markdown.indexOf('| Gated metric |');
    const afterTable = markdown.slice(markdown.indexOf('\n\n', table) + 2);
    expect(afterTable.startsWith('<details>\n<summary>Details: other metrics')).toBe(true);
    // Everything else is inside that block: it closes just before the footer.
    expect(afterTable.trimEnd().endsWith('</details>\n\n<sub>llm-perf-gate 0.1.0</sub>')).toBe(
      true,
    );
    expect(markdown).not.toContain('**Why**');
    expect(markdown).not.toContain('**Next:**');
    expect(markdown).not.toContain('```mermaid');
    expectSoundStructure(markdown);
  });

  it('draws TTFT percentiles on a TTFT regression: baseline bars, current line', () => {
    const markdown = renderReport(gateInput('regression', { 'TTFT p95': 'regression' }));
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1] ?? '';
    // Colours in plot order: grey bars, then a red line.
    expect(chart.split('\n')[0]).toBe(
      '%%{init: {"xyChart": {"height": 240}, "themeVariables": {"xyChart": {"plotColorPalette": "#d0d7de, #cf222e"}}}}%%',
    );
    expect(chart.split('\n')[1]).toBe('xychart-beta');
    expect(chart).toContain('x-axis ["p50", "p90", "p95", "p99", "p99.9"]');
    expect(chart).toMatch(/y-axis "TTFT \(ms\)" 0 --> \d+/);
    const bar = /bar \[(.*)\]/.exec(chart)?.[1]?.split(', ').map(Number);
    const line = /line \[(.*)\]/.exec(chart)?.[1]?.split(', ').map(Number);
    expect(bar).toHaveLength(5);
    expect(line).toHaveLength(5);
    expect(bar?.[2]).toBeCloseTo(baseline.summary.distributions.ttft.p95Ms, 0);
    expect(line?.[2]).toBeCloseTo(current.summary.distributions.ttft.p95Ms, 0);
    expect(markdown).toContain(
      '<sub>TTFT in ms at p50 … p99.9. Red line: this run (`abc1234`); grey bars: baseline (`def5678`).</sub>',
    );
  });

  it('draws no chart where the table says it all: a pass, no baseline, a throughput regression', () => {
    for (const input of [
      gateInput('pass'),
      gateInput('regression', { 'Output tokens/s': 'regression' }),
      { mode: 'gate' as const, verdict: 'no-baseline' as const, current },
    ]) {
      expect(renderReport(input)).not.toContain('```mermaid');
    }
  });

  it('draws the current run in red on a regression', () => {
    const markdown = renderReport(gateInput('regression', { 'TTFT p95': 'regression' }));
    expect(markdown).toContain('"plotColorPalette": "#d0d7de, #cf222e"');
    expect(markdown).toContain('Red line: this run (`abc1234`); grey bars: baseline (`def5678`).');
  });

  it('puts per-class figures, errors, run facts and definitions in <details>', () => {
    const failing = buildResults({ seed: 3, failedPerClass: 3, errorClass: 'http_429' });
    const markdown = renderReport({
      mode: 'gate',
      verdict: 'pass',
      current: failing,
      baseline,
      gate: gateFor('pass', baseline, failing),
    });
    expect(markdown).toContain('<summary>Per class (2)</summary>');
    expect(markdown).toContain(
      '| Class | Requests | Errors | TTFT p50 | TTFT p95 | TTFT p95 Δ | ITL p95 | E2E p95 | Output tokens |',
    );
    expect(markdown).toMatch(/\| chat \| 250 \| 3 \(1\.20%\) \| \d+ ms/);
    expect(markdown).toContain('<summary>Errors by class (6 of 500 requests failed)</summary>');
    expect(markdown).toContain('| http\\_429 | 6 | 1.20% | chat: 3, summarize: 3 |');
    // The error-rate row and the warning say the same: failures, within the limit.
    expect(markdown).toMatch(/\| Error rate \| .* \| ⚠️ within limit \|/);
    expect(markdown).toContain(
      '- 6 of 500 measured requests failed (http\\_429 6): within the error-rate limit (≤ +1.00 pp), so not failed; the latencies cover the requests that succeeded.',
    );
    expect(markdown).not.toContain('[!WARNING]');
    expect(markdown).toContain('<summary>Run facts</summary>');
    for (const fact of [
      '| Measured requests | 500 (494 ok, 6 failed) |',
      '| Warm-up | 10 requests (0 failed), not counted |',
      '| Load | closed loop, concurrency 8 |',
      '| Seed | 42 |',
      '| Tool version | llm-perf-gate 0.1.0 |',
      '| Server header | uvicorn |',
      '| system\\_fingerprint | fp\\_abc123 |',
    ]) {
      expect(markdown).toContain(fact);
    }
    expect(markdown).toMatch(
      /\| Load generator self-check \| event-loop utilization 12%, timer lag p99 1\.30 ms/,
    );
    expect(markdown).toContain('<summary>How to read this</summary>');
    expect(markdown).toContain('<summary>Statistical evidence</summary>');
    expectSoundStructure(markdown);
  });

  it('reports open-loop facts: rate, arrivals, schedule delay and TTFT from schedule', () => {
    const openLoop = buildResults({ seed: 4, requestRate: 5 });
    const markdown = renderReport({ mode: 'report', verdict: 'pass', current: openLoop });
    expect(markdown).toContain(
      '| Load | open loop, 5.00 req/s (poisson arrivals), at most 8 in flight |',
    );
    expect(markdown).toContain('| Arrival rate | 4.90 req/s achieved of 5.00 req/s requested |');
    expect(markdown).toMatch(/\| Schedule delay p95 \| [\d.]+ ms \|/);
    expect(markdown).toMatch(/\| TTFT from schedule p95 \| \d+ ms \|/);
  });

  it('shows a pass with no regressions line', () => {
    const markdown = renderReport(gateInput('pass'));
    expect(lines(markdown)[0]).toBe('### ✅ Pass');
    expect(lines(markdown)[2]).toBe(
      'meta-llama/Llama-3.1-8B-Instruct · h100x1 · short-chat (3f2a9c1e, chat)  ',
    );
    expect(markdown).not.toContain('**Regressed:**');
    expectSoundStructure(markdown);
  });

  it('shows the current run only when there is no baseline', () => {
    const markdown = renderReport({
      mode: 'gate',
      verdict: 'no-baseline',
      current,
      commitSha: CURRENT_SHA,
      baselinePath: 'baselines/x.json',
    });
    expect(lines(markdown)[0]).toBe('### 🆕 No baseline yet');
    expect(lines(markdown)[2]).toMatch(/^meta-llama\//);
    expect(lines(markdown)[3]).toContain('No baseline for this key yet at baselines/x.json');
    expect(markdown).toContain('| Metric | Current |');
    expect(markdown).not.toContain('| Baseline |');
    for (const label of [
      'TTFT p50',
      'TTFT p95',
      'TTFT p99',
      'ITL p95',
      'TPOT p95',
      'E2E p95',
      'Output tokens/s',
      'Requests/s',
      'Error rate',
    ]) {
      expect(markdown).toMatch(new RegExp(`\\| ${label.replace('/', '\\/')} \\| [^|]+ \\|`));
    }
    expect(markdown).not.toContain('```mermaid');
    expect(markdown).not.toContain('TTFT p95 Δ');
    expect(markdown).toContain('**Next:** Record one: run with `mode: update-baseline`');
    expectSoundStructure(markdown);
  });

  it('shows goodput when SLOs were set', () => {
    const withSlo = buildResults({ seed: 5 });
    withSlo.summary.goodputRequestsPerSecond = 7.5;
    const markdown = renderReport({ mode: 'report', verdict: 'pass', current: withSlo });
    expect(markdown).toContain('| Goodput | 7.50 req/s |');
    expect(lines(markdown)[0]).toBe('### 📊 Report');
  });

  it('says where an updated baseline was written', () => {
    const markdown = renderReport({
      mode: 'update-baseline',
      verdict: 'updated',
      current,
      commitSha: CURRENT_SHA,
      baselinePath: 'baselines/meta-llama/h100x1.json',
    });
    expect(lines(markdown)[0]).toBe('### 📌 Baseline updated');
    expect(lines(markdown)[3]).toBe(
      'Baseline baselines/meta-llama/h100x1.json written from `abc1234` (this run).',
    );
  });

  it('flags an inconclusive run and a saturated client loudly', () => {
    const saturated = buildResults({ seed: 6 });
    saturated.selfCheck.saturated = true;
    saturated.selfCheck.reasons = ['event-loop utilization 97%'];
    saturated.warnings = warningsFor(saturated);
    const markdown = renderReport({
      mode: 'gate',
      verdict: 'inconclusive',
      current: saturated,
      baseline,
      gate: gateFor('inconclusive', baseline, saturated, { 'TTFT p99': 'insufficient' }),
      findings: [{ kind: 'client-bound', side: 'current', reasons: saturated.selfCheck.reasons }],
    });
    expect(lines(markdown)[0]).toBe('### ⚠️ Inconclusive: the load generator was the bottleneck');
    expect(markdown).toMatch(
      /> \[!WARNING\]\n> - The load generator was the bottleneck \(event-loop utilization 97%\)/,
    );
    expect(markdown).toContain('SATURATED');
  });

  it('lists runner warnings and notices, estimated tokens and few samples', () => {
    const few = buildResults({ seed: 7, requestsPerClass: 50 });
    few.summary.estimatedTokenRequests = 12;
    few.warnings = warningsFor(few);
    few.warnings.push({ code: 'endpoint-changed', message: 'server header changed from a to b' });
    const markdown = renderReport({
      mode: 'report',
      verdict: 'pass',
      current: few,
      notices: ['comment not posted: token lacks permission'],
    });
    expect(markdown).toContain('**Warnings**');
    expect(markdown).toContain('- server header changed from a to b');
    expect(markdown).toContain('- comment not posted: token lacks permission');
    expect(markdown).toContain(
      '- Only 100 successful requests: p95 needs ≥ 200 and p99 ≥ 1000 samples to be stable.',
    );
    expect(markdown).toContain('12 requests had no usage in the stream');
  });

  it('a run where every request failed says so once, with no advice on sample counts', () => {
    const allFailed = buildResults({ seed: 7, requestsPerClass: 20, failedPerClass: 20 });
    const warnings = warningsFor(allFailed);
    expect(warnings.map((warning) => warning.code)).toEqual(['errors']);
    const { requests } = allFailed.summary;
    expect(warnings[0]?.message).toMatch(
      new RegExp(`^${requests} of ${requests} measured requests failed`),
    );
  });

  it('escapes everything that comes from the endpoint or the config', () => {
    const evil = buildResults({
      seed: 8,
      model: '</details><img src=x onerror=alert(1)>',
      hardware: '| col |',
      mixName: '[link](http://evil)',
      classes: ['| col |', '<script>x</script>', '`code` @team'],
      server: '[link](http://evil) <b>bold</b>\n# heading',
    });
    evil.endpoint.systemFingerprint = '```\n</details>';
    evil.warnings.push({ code: 'errors', message: 'error: <img src=x>\n\n| a | b |' });
    const markdown = renderReport({
      mode: 'gate',
      verdict: 'regression',
      current: evil,
      baseline,
      gate: gateFor('regression', baseline, evil, { 'TTFT p95': 'regression' }),
      baselinePath: 'baselines/<evil>.json',
      commitSha: '`; rm -rf /',
      notices: ['notice with [link](http://evil) and </details>'],
    });
    expectSoundStructure(markdown);
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toContain('<script');
    expect(markdown).not.toMatch(/(?<!\\)\]\(http/);
    expect(markdown).not.toMatch(/@team/);
    expect(markdown).not.toMatch(/^# heading/m);
    expect(lines(markdown)[0]).toMatch(/^### ❌ Regression: TTFT p95 /);
    expect(lines(markdown)[2]).toBe(
      '&lt;/details&gt;&lt;img src=x onerror=alert(1)&gt; · \\| col \\| · \\[link\\](http://evil) (3f2a9c1e, chat)  ',
    );
    expect(markdown).toContain('| \\| col \\| | 250 |');
    expect(markdown).toContain('| &lt;script&gt;x&lt;/script&gt; | 250 |');
    expect(markdown).toContain(
      '| Server header | \\[link\\](http://evil) &lt;b&gt;bold&lt;/b&gt; # heading |',
    );
    expect(markdown).toContain('\\`; rm -rf /');
    // Exactly the <details> blocks we write: other metrics, per class, evidence, run facts, how to
    // read (no errors block: the fixture has no failed requests).
    expect(markdown.split('<details>').length - 1).toBe(5);
  });

  it('stays under the comment limit with 2,000 classes and says the table was truncated', () => {
    const many = buildResults({ seed: 9 });
    const template = many.perClass.chat;
    if (!template) throw new Error('fixture has no chat class');
    many.perClass = {};
    for (let i = 0; i < 2000; i++) {
      many.perClass[`class-${String(i).padStart(4, '0')}-${'x'.repeat(60)}`] = template;
    }
    const markdown = renderReport({
      mode: 'gate',
      verdict: 'pass',
      current: many,
      baseline,
      gate: gateFor('pass', baseline, many),
    });
    expect(markdown.length).toBeLessThan(MAX_COMMENT_LENGTH - 256);
    expect(markdown).toMatch(/Per-class table truncated: showing [\d,]+ of 2,000 classes/);
    expect(markdown).toMatch(/<summary>Per class \([\d,]+ of 2,000 shown\)<\/summary>/);
    expect(markdown).toContain('| class-0000-');
    expect(markdown).not.toContain('| class-1999-');
    // What follows the per-class table is still there.
    expect(markdown).toContain('<summary>Run facts</summary>');
    expectSoundStructure(markdown);
  });

  it('truncates whole lines, closing open blocks, when even the top of the report is too long', () => {
    const gate = gateFor('pass', baseline, current);
    const template = gate.checks[0];
    if (!template) throw new Error('no check');
    gate.checks = Array.from({ length: 3000 }, (_, i) => ({
      ...template,
      label: `metric ${i} ${'y'.repeat(100)}`,
    }));
    const markdown = renderReport({ mode: 'gate', verdict: 'pass', current, baseline, gate });
    expect(markdown.length).toBeLessThan(MAX_COMMENT_LENGTH - 256);
    expect(markdown).toContain(
      "Report truncated to stay under GitHub's 65,536-character comment limit",
    );
    expect(lines(markdown)[0]).toBe('### ✅ Pass');
    expectSoundStructure(markdown);
  });
});
