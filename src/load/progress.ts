import type { RunRecorder } from '../metrics/recorder.js';
import { MISSING, plural } from '../format.js';
import type { RunSummary } from '../domain/results.js';
import type { SelfCheckMonitor } from './self-check.js';

/** A figure for a progress line: `—` while nothing was measured (0 ms would read as instant). */
function msOrMissing(value: number, samples: number, digits = 0): string {
  return samples > 0 ? `${value.toFixed(digits)} ms` : MISSING;
}

/**
 * Progress lines every few seconds while a phase runs. An observer of the phase: it reads the
 * phase's recorder and the self-check, and the measuring loop knows nothing about it.
 */
export function startProgress(
  log: (line: string) => void,
  intervalMs: number,
  label: string,
  totalRequests: number,
  recorder: RunRecorder,
  monitor: SelfCheckMonitor,
): () => void {
  const startedMs = performance.now();
  const timer = setInterval(() => {
    const seconds = (performance.now() - startedMs) / 1000;
    const rate = seconds > 0 ? recorder.requests / seconds : 0;
    const succeeded = recorder.requests - recorder.failed;
    log(
      `${label}${recorder.requests}/${totalRequests} requests · ${rate.toFixed(1)} req/s · ` +
        `errors ${recorder.failed} · TTFT p95 ${msOrMissing(recorder.ttftP95SoFarMs(), succeeded)} · ` +
        `client loop ${(monitor.utilizationSoFar() * 100).toFixed(0)}% busy`,
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The line logged when a phase ends. */
export function describePhase(summary: RunSummary): string {
  const d = summary.distributions;
  return (
    `measured ${plural(summary.requests, 'request')} in ${(summary.windowMs / 1000).toFixed(1)} s · ` +
    `errors ${summary.failed} · TTFT p95 ${msOrMissing(d.ttft.p95Ms, d.ttft.count, 1)} · ` +
    `ITL p95 ${msOrMissing(d.itl.p95Ms, d.itl.count, 1)} · ${summary.outputTokensPerSecond.toFixed(1)} output tok/s`
  );
}
