import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCatalog } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../../../scripts/errors-doc.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('docs the code keeps true', () => {
  it('docs/errors.md lists exactly the error catalog (npm run docs:errors)', () => {
    const doc = readFileSync(path.join(root, 'docs/errors.md'), 'utf8');
    expect(doc).toBe(renderErrorsDoc(errorCatalog));
  });

  it('every repository path named in the docs exists', () => {
    const docs = ['README.md', 'ARCHITECTURE.md', 'docs/limits.md', 'docs/errors.md', 'docs/datasets.md'];
    const missing: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(path.join(root, doc), 'utf8');
      for (const match of text.matchAll(
        /`((?:packages|docs|scripts|\.ci)\/[A-Za-z0-9_./-]+)`|\]\(((?!https?:)[^)#]+)\)/g,
      )) {
        const ref = match[1] ?? match[2];
        if (!ref) continue;
        const base = match[1] ? root : path.dirname(path.join(root, doc));
        if (!existsSync(path.join(base, ref))) missing.push(`${doc}: ${ref}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the README test command is what CI runs', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const ci = readFileSync(path.join(root, '.ci/run'), 'utf8');
    expect(readme).toMatch(/^npm test\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});
