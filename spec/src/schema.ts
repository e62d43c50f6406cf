/**
 * The field language frame descriptors are written in (PROTOCOL.md §3.2).
 *
 * A field has a short wire key and a kind. The codec uses the same
 * descriptors to validate, to rename short keys to readable names, and the
 * conformance suite uses them to build arbitrary frames.
 *
 * @module
 */

import { FieldFault, fill, planOf } from './schema-plan.js';
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

/** Thrown by {@link convertRecord} with the dotted path of the bad field. */
export class SchemaViolation extends Error {
  override readonly name = 'SchemaViolation';
}

/**
 * Converts one record between wire form (short keys) and readable form for
 * one protocol `version` (default: the newest). Unknown wire keys are ignored
 * [WIRE-8], and so are fields newer than `version` [VER-2]; absent or nil
 * optional fields are omitted. Throws {@link SchemaViolation} naming the
 * first bad field by its dotted path below `path`.
 *
 * A schema is compiled on its first use (per direction and version) and the
 * result cached: a schema must not change after it has been used.
 */
export function convertRecord(
  schema: RecordSchema,
  value: unknown,
  path: string,
  dir: 'in' | 'out',
  version = PROTOCOL_VERSION,
): Record<string, unknown> {
  return convertInto({}, schema, value, path, dir, version);
}

/**
 * {@link convertRecord} writing the fields into `out` after the keys it
 * already has (the codec's frame type), so no second object is built.
 * @internal
 */
export function convertInto(
  out: Record<string, unknown>,
  schema: RecordSchema,
  value: unknown,
  path: string,
  dir: 'in' | 'out',
  version: number,
): Record<string, unknown> {
  try {
    return fill(planOf(schema, dir, version), value, out);
  } catch (error) {
    if (error instanceof FieldFault) throw new SchemaViolation(error.describe(path));
    throw error;
  }
}
