import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceResolver } from '../src/profile-sources.js';

const root = mkdtempSync(join(tmpdir(), 'kuykan-bench-sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A bundle of two lines whose source map sends line 1 to src/a.ts:3 and line 2 to src/b.ts:8. */
function bundle(): string {
  mkdirSync(join(root, 'server/dist'), { recursive: true });
  const file = join(root, 'server/dist/chunk.js');
  writeFileSync(file, 'function a(){}\nfunction b(){}\n//# sourceMappingURL=chunk.js.map\n');
  // VLQ: line 1 "AAEA" = column 0, source 0, line +2, column 0; line 2 "ACKA" = source +1, line +5.
  const map = { version: 3, sources: ['../src/a.ts', '../src/b.ts'], names: [], mappings: 'AAEA;ACKA' };
  writeFileSync(`${file}.map`, JSON.stringify(map));
  return pathToFileURL(file).href;
}

describe('sourceResolver', () => {
  it('maps a bundled frame to its source file, relative to the checkout, with a 1-based line', () => {
    const url = bundle();
    const resolve = sourceResolver([root]);
    expect(resolve(url, 0, 0)).toEqual({ file: 'server/src/a.ts', line: 3 });
    expect(resolve(url, 1, 0)).toEqual({ file: 'server/src/b.ts', line: 8 });
  });

  it('shows a dependency from its node_modules and a Node built-in as it is named', () => {
    const resolve = sourceResolver([root]);
    expect(resolve('file:///somewhere/node_modules/ws/lib/sender.js', 9, 2)).toEqual({
      file: 'node_modules/ws/lib/sender.js',
      line: 10,
    });
    expect(resolve('node:internal/streams/writable', 452, 0)).toEqual({
      file: 'node:internal/streams/writable',
      line: 453,
    });
  });
});
