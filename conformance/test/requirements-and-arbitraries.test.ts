import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeFrame, FRAMES } from '@kuykan/protocol';
import { encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzInput, requestDescriptors, wireFrame } from '../src/arbitraries.js';
import { extractRequirements, loadRequirements } from '../src/requirements.js';
import { ALL_TESTS, UNCOVERED_REASONS } from '../src/suites/index.js';

describe('requirements', () => {
  it('extracts from PROTOCOL.md the same list as requirements.json', () => {
    const dir = dirname(createRequire(import.meta.url).resolve('@kuykan/protocol/package.json'));
    const extracted = extractRequirements(readFileSync(join(dir, 'PROTOCOL.md'), 'utf8'));
    const loaded = loadRequirements();
    expect(extracted.map((r) => `${r.id} ${r.level}`)).toEqual(loaded.map((r) => `${r.id} ${r.level}`));
  });

  it('has a test or a stated reason for every MUST', () => {
    for (const r of loadRequirements()) {
      if (!r.level.startsWith('MUST')) continue;
      const covered = ALL_TESTS.some((t) => t.covers.includes(r.id));
      expect(covered || UNCOVERED_REASONS[r.id] !== undefined, r.id).toBe(true);
    }
  });

  it('tags tests only with IDs that exist', () => {
    const ids = new Set(loadRequirements().map((r) => r.id));
    for (const t of ALL_TESTS) for (const id of t.covers) expect(ids.has(id), `${t.id} covers ${id}`).toBe(true);
  });
});

describe('arbitraries', () => {
  it('builds valid wire frames for every client frame from the descriptors', () => {
    for (const descriptor of [FRAMES.hello, ...requestDescriptors()]) {
      fc.assert(
        fc.property(wireFrame(descriptor), (wire) => {
          expect(decodeFrame(encode(wire), { direction: 'client' }).type).toBe(descriptor.name);
        }),
        { numRuns: 50 },
      );
    }
  });

  it('builds frames of every type of both versions, server frames included', () => {
    const v2 = Object.values(FRAMES).filter((d) => d.since === 2);
    expect(v2.map((d) => d.name).sort()).toEqual(
      ['delete', 'directRoom', 'dm', 'edit', 'mention', 'react', 'read', 'readMarker', 'upload', 'uploadSlot'].sort(),
    );
    for (const descriptor of Object.values(FRAMES)) {
      fc.assert(
        fc.property(wireFrame(descriptor), (wire) => {
          expect(decodeFrame(encode(wire), { direction: descriptor.direction }).type).toBe(descriptor.name);
        }),
        { numRuns: 20 },
      );
    }
    const names = new Set<string>();
    fc.assert(
      fc.property(fuzzInput(), (input) => {
        if (input.valid) names.add(input.note.replace(/^valid | \+ unknown key$/g, ''));
      }),
      { numRuns: 2_000, seed: 7 },
    );
    for (const d of requestDescriptors()) expect(names.has(d.name), d.name).toBe(true);
  });

  it('produces fuzz inputs the codec classifies without any other exception', () => {
    fc.assert(
      fc.property(fuzzInput(), (input) => {
        try {
          decodeFrame(input.bytes, { direction: 'client' });
        } catch (error) {
          expect((error as Error).name).toBe('ProtocolError');
        }
      }),
      { numRuns: 300 },
    );
  });
});
