import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as protocol from '../src/index.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

describe('README', () => {
  it('runs its example, which prints what its comments say', () => {
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const printed: unknown[] = [];
    const names = Object.keys(protocol).join(', ');
    const run = new Function(
      'protocol',
      'console',
      `const { ${names} } = protocol;\n${snippet.replace(/^import .*$/m, '')}`,
    );
    run(protocol, { log: (value: unknown) => printed.push(value) });
    expect(printed).toEqual([
      47,
      'สวัสดี 👋',
      true,
      { ok: true, value: 'สมชาย' },
      [{ emoji: '👍🏽', count: 1, names: ['Ann'], me: true }],
    ]);
    expect(snippet).toContain('// 47 ');
    expect(snippet).toContain("// { ok: true, value: 'สมชาย' }");
  });
});
