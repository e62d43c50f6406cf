import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertRecord, FRAMES, type FrameTypeName, SUPPORTED_VERSIONS } from '../src/index.js';
import { readValue } from '../src/reader.js';
import { frameOf } from './arbitraries.js';
import { interpretRecord } from './schema-interpreter.js';

type Dir = 'in' | 'out';
const types = Object.keys(FRAMES) as FrameTypeName[];
const versions = [...SUPPORTED_VERSIONS];

/** What a conversion did: its result (keys in order), or the class and message of what it threw. */
function outcome(run: () => unknown): { value: string } | { error: string } {
  try {
    return { value: JSON.stringify(run()) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Asserts that the compiled schema and the interpreter agree on one input. */
function agree(type: FrameTypeName, value: unknown, dir: Dir, version: number, path = ''): void {
  const { fields } = FRAMES[type];
  expect(outcome(() => convertRecord(fields, value, path, dir, version))).toEqual(
    outcome(() => interpretRecord(fields, value, path, dir, version)),
  );
}

/** Values a field should not hold, and a few it may: wrong kinds, nil, lone surrogates, nested junk. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.constantFrom(undefined, null, -1, 1.5, 2 ** 53, 0x1_0000_0000, '\ud800', 'a\udc00b', '👋', 'edit', 'join'),
  fc.constantFrom(new Uint8Array([1]), [1, 'a'], ['\udfff'], [{}], [undefined], {}),
);

/** Replaces (or deletes, for `undefined`) one value somewhere inside a clone of `value`, chosen by `picks`. */
function corrupt(value: unknown, picks: number[], replacement: unknown): unknown {
  const root = structuredClone(value) as Record<string, unknown>;
  let node: Record<string, unknown> = root;
  for (const [depth, pick] of picks.entries()) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[pick % keys.length]!;
    const child = node[key];
    if (depth < picks.length - 1 && typeof child === 'object' && child !== null) {
      node = child as Record<string, unknown>;
      continue;
    }
    if (replacement === undefined) delete node[key];
    else node[key] = replacement;
    break;
  }
  return root;
}

const corruption = fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), junk);

describe('compiled record schemas', () => {
  describe.each(types)('%s', (type) => {
    it('converts valid frames to wire form and back as the interpreter does, for every version', () => {
      fc.assert(
        fc.property(frameOf(type), fc.constantFrom(...versions), (frame, version) => {
          agree(type, frame, 'out', version);
          agree(type, interpretRecord(FRAMES[type].fields, frame, '', 'out'), 'in', version);
        }),
        { numRuns: 200, seed: 1 },
      );
    });

    it('refuses broken frames with the same path and message as the interpreter', () => {
      fc.assert(
        fc.property(
          frameOf(type),
          corruption,
          fc.constantFrom(...versions),
          fc.constantFrom('', 'limits'),
          (frame, [picks, replacement], version, path) => {
            agree(type, corrupt(frame, picks, replacement), 'out', version, path);
            const wire = interpretRecord(FRAMES[type].fields, frame, '', 'out');
            agree(type, corrupt(wire, picks, replacement), 'in', version, path);
          },
        ),
        { numRuns: 500, seed: 2 },
      );
    });
  });

  it('agrees with the interpreter on every test vector, valid and invalid, for every frame type and version', () => {
    const dir = fileURLToPath(new URL('../vectors/', import.meta.url));
    const hexes = readdirSync(dir).flatMap((file) => {
      const json = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as {
        vectors?: Array<{ hex: string; value: unknown }>;
        cases?: Array<{ hex: string }>;
      };
      return [...(json.vectors ?? []), ...(json.cases ?? [])].map((v) => v.hex);
    });
    expect(hexes.length).toBeGreaterThan(100);
    for (const hex of hexes) {
      let wire: unknown;
      try {
        wire = readValue(Uint8Array.from(Buffer.from(hex, 'hex'))).value;
      } catch {
        continue;
      }
      for (const type of types) {
        for (const version of versions) {
          agree(type, wire, 'in', version);
          if (wire !== null && typeof wire === 'object') agree(type, { ...wire, type }, 'out', version);
        }
      }
    }
  });

  it('reports the path of a bad field inside a list of records', () => {
    const bad = {
      type: 'page',
      id: 1,
      room: 'r',
      more: false,
      messages: [{ seq: 1, messageId: 'm', ts: 1, from: 'a' }],
    };
    expect(() => convertRecord(FRAMES.page.fields, bad, '', 'out')).toThrow('messages[0].text: required');
  });
});
