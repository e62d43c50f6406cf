/**
 * README.th.md says the same as README.md in Thai: the same commands in the
 * same order, and the same samples and code, so a Thai reader runs exactly
 * what the English README runs (and the README test checks).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blocks, commands } from './readme-blocks.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const english = join(root, 'README.md');
const thai = join(root, 'README.th.md');

describe('README.th.md', () => {
  it('shows the same commands as README.md, in the same order', () => {
    expect(commands(thai)).toEqual(commands(english));
    expect(commands(english).length).toBeGreaterThan(10);
  });

  it('shows the same output samples and code as README.md', () => {
    const notShell = (path: string) => blocks(path).filter((b) => b.lang !== 'sh');
    expect(notShell(thai)).toEqual(notShell(english));
  });

  it('is written in Thai', () => {
    const text = readFileSync(thai, 'utf8');
    const thaiLetters = text.match(/[\u0E00-\u0E7F]/g)?.length ?? 0;
    expect(thaiLetters).toBeGreaterThan(3000);
  });
});
