import type {
  EncodedHistograms,
  RunResults,
  RunSummary,
  SelfCheck,
  TrialFigures,
} from './results.js';
import type { ServerView } from './server-view.js';
import { sweepLevelName } from './sweep-level.js';

/**
 * One load a run measured: a plain run is one level, a sweep one per level it measured. Each has
 * its own figures, self-check and server view, so what judges or shows a level reads the same
 * fields whichever kind of run it came from.
 */
export interface RunLevel {
  /** The sweep level (concurrency or requests/s) and its name (`c=8`, `4 req/s`); absent for a plain run. */
  sweep?: { level: number; name: string };
  summary: RunSummary;
  trials: TrialFigures[];
  histograms: EncodedHistograms;
  selfCheck: SelfCheck;
  server?: ServerView;
}

export function levelsOf(results: RunResults): RunLevel[] {
  const sweep = results.sweep;
  if (!sweep || sweep.levels.length === 0) {
    return [
      {
        summary: results.summary,
        trials: results.trials,
        histograms: results.histograms.overall,
        selfCheck: results.selfCheck,
        ...(results.server ? { server: results.server } : {}),
      },
    ];
  }
  return sweep.levels.map((level) => ({
    sweep: { level: level.level, name: sweepLevelName(sweep.dimension, level.level) },
    summary: level.summary,
    trials: [level.trial],
    histograms: level.histograms,
    selfCheck: level.selfCheck,
    ...(level.server ? { server: level.server } : {}),
  }));
}

/**
 * A level seen as a run of its own, so that the single-run gate and diagnosis judge it. A plain
 * run's one level is the run itself (its classes included); a sweep level has no classes.
 */
export function levelAsRun(results: RunResults, level: RunLevel): RunResults {
  if (!level.sweep) return results;
  const { server: _server, sweep: _sweep, ...rest } = results;
  return {
    ...rest,
    summary: level.summary,
    perClass: {},
    trials: level.trials,
    histograms: { overall: level.histograms, perClass: {} },
    selfCheck: level.selfCheck,
    // The level's own server view: never another level's figures.
    ...(level.server ? { server: level.server } : {}),
  };
}
