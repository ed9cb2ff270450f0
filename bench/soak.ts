/**
 * npm run bench:soak [-- --minutes 30] [--concurrency 64] [--quick]
 *
 * A long closed loop against a simulator process through the product's own pieces, sampling
 * the heap (after a full GC) and RSS every 10 s. Prints the samples and a verdict on flatness
 * (the last half's heap slope), and writes bench/results/soak.md and soak.json; exits 1 when
 * the heap grows or a request failed. --quick is one minute at 32 streams, a sample every 5 s,
 * written to scratch/bench/ (git-ignored) so it never replaces the committed evidence.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { FLAT_SLOPE_MB_PER_MINUTE, flatness, type MemorySample } from './lib/memory.js';
import { runSoak } from './lib/soak-run.js';

function numberOption(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

function row(sample: MemorySample): string {
  return `| ${sample.atSeconds.toFixed(0)} | ${sample.requests} | ${sample.heapUsedMb.toFixed(2)} | ${sample.rssMb.toFixed(1)} |`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const minutes = numberOption(args, '--minutes', quick ? 1 : 30);
  const concurrency = numberOption(args, '--concurrency', quick ? 32 : 64);
  const sampleEveryMs = quick ? 5_000 : 10_000;
  const outputDir = quick ? 'scratch/bench' : 'bench/results';
  console.log(
    `Soak: ${minutes} min, ${concurrency} streams; a sample every ${sampleEveryMs / 1000} s.`,
  );
  console.log('| s | requests | heap after GC MB | RSS MB |\n| --- | --- | --- | --- |');
  const outcome = await runSoak({
    durationMs: minutes * 60_000,
    concurrency,
    sampleEveryMs,
    onSample: (sample) => console.log(row(sample)),
  });
  const verdict = flatness(outcome.samples);
  const lines = [
    '# Soak',
    '',
    `\`npm run bench:soak -- --minutes ${minutes} --concurrency ${concurrency}\` on ` +
      `${new Date().toISOString().slice(0, 10)}, Node ${process.version}: ${outcome.requests} ` +
      `requests (${outcome.failed} failed), ${outcome.outputTokens} output tokens, self-check ` +
      `${outcome.selfCheck.saturated ? `tripped (${outcome.selfCheck.reasons.join('; ')})` : 'clear'}.`,
    '',
    `Heap after a full GC: ${verdict.firstHalfSlopeMbPerMinute.toFixed(3)} MB/min over the first ` +
      `half, ${verdict.lastHalfSlopeMbPerMinute.toFixed(3)} MB/min over the last; last third ` +
      `${verdict.heapGrowthMb >= 0 ? '+' : ''}${verdict.heapGrowthMb.toFixed(2)} MB against the first ` +
      `(RSS ${verdict.rssGrowthMb >= 0 ? '+' : ''}${verdict.rssGrowthMb.toFixed(1)} MB). ` +
      `**${verdict.flat ? 'Flat' : 'Growing'}** (flat: last-half slope ≤ ${FLAT_SLOPE_MB_PER_MINUTE} MB/min).`,
    '',
    '| s | requests | heap after GC MB | RSS MB |',
    '| --- | --- | --- | --- |',
    ...outcome.samples.map(row),
    '',
  ];
  console.log(lines.slice(0, 5).join('\n'));
  mkdirSync(outputDir, { recursive: true });
  writeFileSync(`${outputDir}/soak.md`, lines.join('\n'));
  writeFileSync(
    `${outputDir}/soak.json`,
    `${JSON.stringify({ minutes, concurrency, ...outcome, verdict }, null, 2)}\n`,
  );
  console.log(`Wrote ${outputDir}/soak.md and soak.json`);
  if (!verdict.flat || outcome.failed > 0) process.exitCode = 1;
}

await main();
