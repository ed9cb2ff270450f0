import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
