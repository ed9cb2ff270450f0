/**
 * What a baseline lets the gate detect, by requests per trial and trials, with the default
 * thresholds: the figures behind README "How baselines work". Run: npx tsx bench/baseline-detectable.ts
 * Latencies are the report fixture's (seeded log-normal TTFT, σ 0.25); identical trials, so the
 * drift is the gate's floor (σ 0.03).
 */
import { admitBaseline } from '../src/baseline/admission.js';
import { defaultThresholds } from '../src/gate/thresholds.js';
import { trialFiguresOf } from '../src/metrics/catalogue.js';
import { buildResults } from '../test/helpers/results-fixture.js';

const rules = { maxErrorRate: 0.05, thresholds: defaultThresholds(), acceptNoisy: false };
for (const perTrial of [500, 1000, 3000]) {
  for (const trials of [1, 3, 5]) {
    const pooled = buildResults({ requestsPerClass: (perTrial * trials) / 2 });
    const figures = Array.from({ length: trials }, () => trialFiguresOf(pooled.summary));
    const admission = admitBaseline({ ...pooled, trials: figures }, rules);
    const outcome = admission.refusal ? 'refused' : 'admitted';
    console.log(
      `${perTrial} requests × ${trials} trials: ${admission.detects.join('; ')} → ${outcome}`,
    );
  }
}
