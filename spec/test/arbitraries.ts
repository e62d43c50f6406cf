/** fast-check arbitraries built from the frame descriptors, so every frame type is covered. */
import fc from 'fast-check';
import {
  type FieldKind,
  FRAMES,
  type Frame,
  type FrameTypeName,
  type RecordSchema,
  type ScalarKind,
} from '../src/index.js';

function scalar(kind: ScalarKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'uint':
      return fc.oneof(fc.nat(1000), fc.maxSafeNat());
    case 'u32':
      return fc.nat({ max: 0xffff_ffff });
    case 'str':
      return fc.string({ unit: 'grapheme', maxLength: 20 });
    case 'bool':
      return fc.boolean();
  }
}

function ofKind(kind: FieldKind): fc.Arbitrary<unknown> {
  if (typeof kind === 'string') return scalar(kind);
  if ('list' in kind) return fc.array(scalar(kind.list), { maxLength: 5 });
  if ('oneOf' in kind) return fc.constantFrom(...kind.oneOf);
  if ('record' in kind) return record(kind.record);
  return fc.array(record(kind.records), { maxLength: 3 });
}

export function record(schema: RecordSchema): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    fields[name] = ofKind(spec.kind);
    if (!spec.optional) required.push(name);
  }
  return fc.record(fields, { requiredKeys: required });
}

export function frameOf(type: FrameTypeName): fc.Arbitrary<Frame> {
  return record(FRAMES[type].fields).map((fields) => ({ type, ...fields }) as Frame);
}

export const anyFrame: fc.Arbitrary<Frame> = fc.oneof(...(Object.keys(FRAMES) as FrameTypeName[]).map(frameOf));
