import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
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

describe('the layers of src/', () => {
  /** Each folder of src/ (or top-level file) and the others its modules import. */
  function unitImports(): Map<string, Set<string>> {
    const unitOf = (path: string) => relative('src', path).split(sep)[0]!.replace(/\.ts$/, '');
    const edges = new Map<string, Set<string>>();
    const visit = (directory: string): void => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) visit(path);
        else if (entry.name.endsWith('.ts')) {
          const text = readFileSync(path, 'utf8');
          for (const [, specifier] of text.matchAll(/\bfrom\s+'(\.[^']+)'/g)) {
            const target = unitOf(join(dirname(path), specifier!));
            const from = unitOf(path);
            if (target !== from) edges.set(from, (edges.get(from) ?? new Set()).add(target));
          }
        }
      }
    };
    visit('src');
    return edges;
  }

  it('import one another without a cycle, types included', () => {
    const edges = unitImports();
    const done = new Set<string>();
    const cycles: string[] = [];
    const walk = (unit: string, path: string[]): void => {
      if (path.includes(unit)) {
        cycles.push([...path.slice(path.indexOf(unit)), unit].join(' → '));
        return;
      }
      if (done.has(unit)) return;
      for (const next of edges.get(unit) ?? []) walk(next, [...path, unit]);
      done.add(unit);
    };
    for (const unit of edges.keys()) walk(unit, []);
    expect(cycles).toEqual([]);
  });
});
