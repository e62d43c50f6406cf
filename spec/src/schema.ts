/**
 * The field language frame descriptors are written in (PROTOCOL.md §3.2).
 *
 * A field has a short wire key and a kind. The codec uses the same
 * descriptors to validate, to rename short keys to readable names, and the
 * conformance suite uses them to build arbitrary frames.
 *
 * @module
 */

import { PROTOCOL_VERSION } from './version.js';

/** A non-negative safe integer (seq numbers, timestamps, counts). */
export type ScalarKind = 'uint' | 'u32' | 'str' | 'bool';

/** What a field may hold. */
export type FieldKind =
  | ScalarKind
  | { readonly list: ScalarKind }
  | { readonly oneOf: readonly string[] }
  | { readonly record: RecordSchema }
  | { readonly records: RecordSchema };

/** One field of a frame or record. */
export interface FieldSpec {
  /** Key on the wire. `t` and `i` are reserved for type and request id at frame level. */
  readonly key: string;
  readonly kind: FieldKind;
  /** Optional fields may be absent or nil. */
  readonly optional?: boolean;
  /**
   * The protocol version that added the field (absent: 1). A frame encoded or
   * decoded for an older version leaves the field out, as an unknown key [VER-2].
   */
  readonly since?: number;
}

/** Field specs by readable name. */
export type RecordSchema = Readonly<Record<string, FieldSpec>>;

/**
 * A schema for the interface `T`: every property of `T` (except `type`) has a
 * field spec, so a field cannot be added to a frame without its wire form.
 */
export type SchemaOf<T> = { readonly [K in Exclude<keyof T, 'type'>]-?: FieldSpec };

/** Shorthand constructors, so descriptors read like a table. */
export const field = {
  uint: (key: string): FieldSpec => ({ key, kind: 'uint' }),
  u32: (key: string): FieldSpec => ({ key, kind: 'u32' }),
  str: (key: string): FieldSpec => ({ key, kind: 'str' }),
  bool: (key: string): FieldSpec => ({ key, kind: 'bool' }),
  list: (key: string, of: ScalarKind): FieldSpec => ({ key, kind: { list: of } }),
  oneOf: (key: string, values: readonly string[]): FieldSpec => ({ key, kind: { oneOf: values } }),
  record: (key: string, schema: RecordSchema): FieldSpec => ({ key, kind: { record: schema } }),
  records: (key: string, schema: RecordSchema): FieldSpec => ({ key, kind: { records: schema } }),
  /** Marks a spec optional. */
  opt: (spec: FieldSpec): FieldSpec => ({ ...spec, optional: true }),
  /** Marks an optional field added by protocol version 2. */
  v2: (spec: FieldSpec): FieldSpec => ({ ...spec, optional: true, since: 2 }),
};

/** Thrown by {@link fromWire}/{@link toWire} with the dotted path of the bad field. */
export class SchemaViolation extends Error {
  override readonly name = 'SchemaViolation';
}

/** Matches an unpaired UTF-16 surrogate (with the u flag, paired ones are one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

function checkScalar(kind: ScalarKind, value: unknown): boolean {
  switch (kind) {
    case 'uint':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    case 'u32':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
    case 'str':
      // A lone surrogate has no UTF-8 form: such a string cannot be sent [WIRE-15].
      return typeof value === 'string' && !LONE_SURROGATE.test(value);
    case 'bool':
      return typeof value === 'boolean';
  }
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function convert(kind: FieldKind, value: unknown, path: string, dir: 'in' | 'out', version: number): unknown {
  if (typeof kind === 'string') {
    if (!checkScalar(kind, value)) throw new SchemaViolation(`${path}: expected ${kind}`);
    return value;
  }
  if ('list' in kind) {
    if (!Array.isArray(value)) throw new SchemaViolation(`${path}: expected a list of ${kind.list}`);
    value.forEach((item, n) => {
      if (!checkScalar(kind.list, item)) throw new SchemaViolation(`${path}[${n}]: expected ${kind.list}`);
    });
    return value.slice();
  }
  if ('oneOf' in kind) {
    if (typeof value !== 'string' || !kind.oneOf.includes(value)) {
      throw new SchemaViolation(`${path}: expected one of ${kind.oneOf.join(', ')}`);
    }
    return value;
  }
  if ('record' in kind) return convertRecord(kind.record, value, path, dir, version);
  if (!Array.isArray(value)) throw new SchemaViolation(`${path}: expected a list of records`);
  return value.map((item, n) => convertRecord(kind.records, item, `${path}[${n}]`, dir, version));
}

/**
 * Converts one record between wire form (short keys) and readable form for
 * one protocol `version` (default: the newest). Unknown wire keys are ignored
 * [WIRE-8], and so are fields newer than `version` [VER-2]; absent or nil
 * optional fields are omitted.
 */
export function convertRecord(
  schema: RecordSchema,
  value: unknown,
  path: string,
  dir: 'in' | 'out',
  version = PROTOCOL_VERSION,
): Record<string, unknown> {
  if (!isPlainMap(value)) throw new SchemaViolation(`${path}: expected a map`);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    if (spec.since !== undefined && spec.since > version) continue;
    const from = dir === 'in' ? spec.key : name;
    const to = dir === 'in' ? name : spec.key;
    const raw = Object.hasOwn(value, from) ? value[from] : undefined;
    if (raw === undefined || raw === null) {
      if (spec.optional) continue;
      throw new SchemaViolation(`${path ? `${path}.` : ''}${name}: required`);
    }
    out[to] = convert(spec.kind, raw, path ? `${path}.${name}` : name, dir, version);
  }
  return out;
}
