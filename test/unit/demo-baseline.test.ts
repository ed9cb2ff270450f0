import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineFileName } from '../../src/domain/key.js';
import { parseBaselineRecord } from '../../src/baseline/record.js';
import { DEMO_BASELINE_DIR, DEMO_MIX, DEMO_SIMULATOR, demoInputs } from '../../src/cli/demo.js';
import { parseMeasureConfig } from '../../src/config/parse.js';
import type { MeasureConfig } from '../../src/domain/config.js';
import { loadMix } from '../../src/workload/index.js';

/**
 * The committed baseline in baselines/ is what `npm run demo` compares with: it must be for the
 * demo's key, load settings and simulator as they are now. When this fails, run
 * `npm run demo:baseline` and commit the file.
 */
describe('the demo baseline in baselines/', () => {
  it('matches the demo key, settings and simulator of today', async () => {
    const inputs = demoInputs('http://127.0.0.1:1/v1', 'update-baseline', 'unused.json');
    const config = parseMeasureConfig((name) => inputs[name]);
    const mix = await loadMix(config.promptMix, { baseDir: process.cwd() });
    const key = {
      model: config.model,
      hardware: config.hardware,
      api: config.api,
      mixName: mix.name,
      mixFingerprint: mix.fingerprint,
    };
    const demoFiles = readdirSync(DEMO_BASELINE_DIR).filter((file) =>
      file.startsWith(`${config.model}__${config.hardware}__`),
    );
    expect(demoFiles, 'stale demo baseline: run npm run demo:baseline').toEqual([
      baselineFileName(key),
    ]);

    const path = join(DEMO_BASELINE_DIR, baselineFileName(key));
    const recorded = (await parseBaselineRecord(readFileSync(path, 'utf8'), path, key)).results;
    const settings = (c: Omit<MeasureConfig, 'headers'>) => ({
      concurrency: c.concurrency,
      requestRate: c.requestRate,
      requests: c.requests,
      warmupRequests: c.warmupRequests,
      seed: c.seed,
      extraBody: c.extraBody,
      cacheBust: c.cacheBust,
      trials: c.trials,
      timeoutMs: c.timeoutMs,
    });
    expect(settings(recorded.config)).toEqual(settings(config));
    expect(recorded.trials).toHaveLength(config.trials);
    expect(recorded.endpoint.systemFingerprint).toBe(DEMO_SIMULATOR.systemFingerprint);
    expect(recorded.partial).toBe(false);
    expect(recorded.selfCheck.saturated).toBe(false);
    expect(recorded.summary.errorRate).toBe(0);
    // Nothing from the machine that recorded it.
    expect(readFileSync(path, 'utf8')).not.toMatch(/\/(work|home|tmp)\//);
    expect(DEMO_MIX).toContain(join('examples', 'mixes', 'demo.yaml'));
  });
});
