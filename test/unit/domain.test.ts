import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { levelAsRun, levelsOf } from '../../src/domain/levels.js';
import type { RunResults } from '../../src/domain/results.js';
import { trialFiguresOf } from '../../src/metrics/catalogue.js';
import { buildResults } from '../helpers/results-fixture.js';

const DOMAIN = 'src/domain';

describe('the domain model', () => {
  it('is a leaf: its modules import only each other, no other module and no package', () => {
    const files = readdirSync(DOMAIN).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(DOMAIN, file), 'utf8');
      const specifiers = [...text.matchAll(/\bfrom\s+'([^']+)'/g)].map((match) => match[1]);
      for (const specifier of specifiers) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\/[\w-]+\.js$/);
      }
      expect(text, `${file} loads a module at run time`).not.toMatch(/\bimport\s*\(|require\(/);
    }
  });
});

describe('levelsOf', () => {
  it('sees a plain run as one level and a sweep as its levels, each with its own figures', () => {
    const run = buildResults({ seed: 4 });
    const [only, ...none] = levelsOf(run);
    expect(none).toEqual([]);
    expect(only?.sweep).toBeUndefined();
    expect(only?.summary).toBe(run.summary);
    expect(levelAsRun(run, only!)).toBe(run);

    const lower = { ...run.summary, requests: 7 };
    const sweep: RunResults = {
      ...run,
      sweep: {
        dimension: 'request-rate',
        levels: [
          {
            level: 2,
            summary: lower,
            histograms: run.histograms.overall,
            trial: run.trials[0] ?? trialFiguresOf(lower),
            selfCheck: run.selfCheck,
          },
        ],
      },
    };
    const [level] = levelsOf(sweep);
    expect(level?.sweep).toEqual({ level: 2, name: '2 req/s' });
    const asRun = levelAsRun(sweep, level!);
    expect(asRun.summary.requests).toBe(7);
    expect(asRun.sweep).toBeUndefined();
    expect(asRun.perClass).toEqual({});
  });
});
