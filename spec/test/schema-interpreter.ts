/**
 * The schema interpreter the codec used before schemas were compiled
 * (src/schema-plan.ts), kept verbatim as the oracle of
 * schema-plans-match-interpreter.test.ts: the compiled plans must accept,
 * convert and refuse exactly as it did.
 */
import { type FieldKind, PROTOCOL_VERSION, type RecordSchema, type ScalarKind, SchemaViolation } from '../src/index.js';

/** Matches an unpaired UTF-16 surrogate (with the u flag, paired ones are one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

function checkScalar(kind: ScalarKind, value: unknown): boolean {
  switch (kind) {
    case 'uint':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    case 'u32':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
    case 'str':
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
  if ('record' in kind) return interpretRecord(kind.record, value, path, dir, version);
  if (!Array.isArray(value)) throw new SchemaViolation(`${path}: expected a list of records`);
  return value.map((item, n) => interpretRecord(kind.records, item, `${path}[${n}]`, dir, version));
}

/** `convertRecord` as it was: the schema interpreted on every call. */
export function interpretRecord(
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
