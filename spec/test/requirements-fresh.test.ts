import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractRequirements, requirementsJson } from '../scripts/requirements.js';

const spec = readFileSync(fileURLToPath(new URL('../PROTOCOL.md', import.meta.url)), 'utf8');
const committed = readFileSync(fileURLToPath(new URL('../requirements.json', import.meta.url)), 'utf8');

describe('requirements.json', () => {
  it('is what PROTOCOL.md says (run `npm run requirements -w @kuykan/protocol` after editing the spec)', () => {
    expect(committed).toBe(requirementsJson(spec));
  });

  it('has at least 60 requirements with unique, well-formed IDs and non-empty text', () => {
    const requirements = extractRequirements(spec);
    expect(requirements.length).toBeGreaterThanOrEqual(60);
    const ids = requirements.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of requirements) {
      expect(r.id).toMatch(/^[A-Z]+-\d+$/);
      expect(r.text.length).toBeGreaterThan(10);
      expect(r.section).toMatch(/^\d+\. /);
    }
  });

  it('numbers each area from 1 without holes', () => {
    const byArea = new Map<string, number[]>();
    for (const { id } of extractRequirements(spec)) {
      const [area, n] = id.split('-');
      byArea.set(area!, [...(byArea.get(area!) ?? []), Number(n)]);
    }
    for (const [area, numbers] of byArea) {
      expect(
        numbers.sort((a, b) => a - b),
        area,
      ).toEqual(numbers.map((_, i) => i + 1));
    }
  });
});
