import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from './run-against.js';

describe('conformance README', () => {
  it('states the coverage that --list reports', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- coverage:start -->\s*```\s*\n(.*)\n```\s*<!-- coverage:end -->/.exec(readme);
    const list = await cli(['--list']);
    const line = list.out.trim().split('\n').at(-1);
    expect(line).toMatch(/^MUSTs covered \d+\/\d+; uncovered \d+: /);
    expect(block?.[1]).toBe(line);
  });
});
