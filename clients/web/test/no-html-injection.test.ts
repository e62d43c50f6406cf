import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

describe('web client source', () => {
  it('never renders markup from strings: no unsafeHTML, innerHTML, outerHTML or insertAdjacentHTML', () => {
    for (const file of readdirSync(src).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(`${src}${file}`, 'utf8');
      expect(text, file).not.toMatch(/unsafeHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
  });
});
