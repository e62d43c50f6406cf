/**
 * fast-check arbitraries built from the frame descriptors in `FRAMES`: valid
 * wire maps for every client frame, schema-breaking mutations of them, and
 * raw byte noise. Nothing here knows a frame by hand.
 *
 * @module
 */

import {
  type FieldKind,
  type FieldSpec,
  FRAMES,
  type FrameDescriptor,
  type RecordSchema,
  type ScalarKind,
} from '@kuykan/protocol';
import { encode } from '@msgpack/msgpack';
import fc from 'fast-check';

/** Short strings with the characters that break naive servers: Thai, emoji, controls, spaces. */
export const text = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('lobby', 'สวัสดี', 'น้ำ', '👩‍👩‍👧', ' ', '', 'a\u0000b', '\u200b', 'x'.repeat(70)),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
  );

function scalar(kind: ScalarKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'uint':
      return fc.oneof(fc.nat({ max: 20 }), fc.maxSafeNat());
    case 'u32':
      return fc.oneof(fc.nat({ max: 20 }), fc.nat({ max: 0xffff_ffff }));
    case 'str':
      return text();
    case 'bool':
      return fc.boolean();
  }
}

/** A valid wire value of a field kind. */
export function fieldValue(kind: FieldKind): fc.Arbitrary<unknown> {
  if (typeof kind === 'string') return scalar(kind);
  if ('list' in kind) return fc.array(scalar(kind.list), { maxLength: 4 });
  if ('oneOf' in kind) return fc.constantFrom(...kind.oneOf);
  if ('record' in kind) return wireRecord(kind.record);
  return fc.array(wireRecord(kind.records), { maxLength: 3 });
}

/** A valid wire map (short keys) for a record schema; optional fields may be absent or nil. */
export function wireRecord(schema: RecordSchema): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.values(schema).map((spec: FieldSpec) => {
    const value = fieldValue(spec.kind);
    return [spec.key, spec.optional ? fc.option(value, { nil: undefined, freq: 3 }) : value] as const;
  });
  return fc.record(Object.fromEntries(entries)).map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
    return out;
  });
}

/** A valid wire frame of one descriptor (with `t`). */
export function wireFrame(descriptor: FrameDescriptor): fc.Arbitrary<Record<string, unknown>> {
  return wireRecord(descriptor.fields).map((r) => ({ t: descriptor.code, ...r }));
}

/** Client frame descriptors, hello excluded (a second hello legitimately closes the connection). */
export const requestDescriptors = (): FrameDescriptor[] =>
  Object.values(FRAMES).filter((d) => d.direction === 'client' && d.name !== 'hello');

/** A value of the wrong kind for a field. */
function wrongValue(kind: FieldKind): fc.Arbitrary<unknown> {
  const all: fc.Arbitrary<unknown>[] = [
    fc.constant(-1),
    fc.constant(1.5),
    fc.constant('s'),
    fc.constant(true),
    fc.constant([1]),
    fc.constant({ a: 1 }),
    fc.constant(new Uint8Array([1])),
  ];
  const bad = all.filter((_, i) => {
    if (kind === 'str') return i !== 2;
    if (kind === 'bool') return i !== 3;
    if (kind === 'uint' || kind === 'u32') return true;
    return i !== 4 && i !== 5;
  });
  return fc.oneof(...bad);
}

/** One input for the fuzzer, with a note for the transcript. */
export interface FuzzInput {
  readonly bytes: Uint8Array;
  readonly note: string;
  /** True when the input is a schema-valid request (any reply is fine). */
  readonly valid: boolean;
}

/** Valid requests, schema mutations of them (missing or mistyped field, unknown key, unknown type) and byte noise. */
export function fuzzInput(): fc.Arbitrary<FuzzInput> {
  const descriptors = requestDescriptors();
  const valid = fc
    .constantFrom(...descriptors)
    .chain((d) => wireFrame(d).map((w) => ({ bytes: encode(w), note: `valid ${d.name}`, valid: true })));
  const mutated = fc.constantFrom(...descriptors).chain((d) => {
    const required = Object.values(d.fields).filter((f) => !f.optional);
    const keys = required.map((f) => f.key);
    return fc
      .tuple(wireFrame(d), fc.nat({ max: Math.max(0, required.length - 1) }), fc.nat({ max: 3 }))
      .chain(([w, n, how]) => {
        const spec = required[n];
        if (how === 0 && spec) {
          const { [spec.key]: _dropped, ...rest } = w;
          return fc.constant({ bytes: encode(rest), note: `${d.name} without ${spec.key}`, valid: false });
        }
        if (how === 1 && spec) {
          return wrongValue(spec.kind).map((v) => ({
            bytes: encode({ ...w, [spec.key]: v }),
            note: `${d.name} with bad ${spec.key}`,
            valid: false,
          }));
        }
        if (how === 2) {
          return fc
            .string({ minLength: 3, maxLength: 5 })
            .filter((k) => !keys.includes(k) && k !== 't')
            .map((k) => ({ bytes: encode({ ...w, [k]: 1 }), note: `${d.name} + unknown key`, valid: true }));
        }
        return (
          fc
            // Past every frame type of every version (10–15 and 27–30 are v2's).
            .integer({ min: 32, max: 40 })
            .map((t) => ({ bytes: encode({ ...w, t }), note: `unknown type ${t}`, valid: false }))
        );
      });
  });
  const noise = fc
    .uint8Array({ minLength: 0, maxLength: 40 })
    .map((bytes) => ({ bytes, note: 'random bytes', valid: false }));
  return fc.oneof({ arbitrary: valid, weight: 2 }, { arbitrary: mutated, weight: 3 }, { arbitrary: noise, weight: 1 });
}
