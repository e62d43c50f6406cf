/**
 * Record schemas compiled for the codec's hot path (schema.ts describes the
 * language). A {@link RecordSchema} is turned once per direction and protocol
 * version into a plan: the fields that version has, in schema order, each with
 * its source and target key and a converter made for its kind. Converting a
 * record then only walks that array, instead of interpreting the schema (its
 * entries, versions and key choice) for every field of every frame.
 *
 * Paths of bad fields are put together only when a conversion fails: a
 * {@link FieldFault} collects the path segments while it propagates.
 *
 * @module
 */

import type { FieldKind, RecordSchema, ScalarKind } from './schema.js';

/** Checks a present (non-nil) value of one field and returns its converted form. */
type Convert = (value: unknown) => unknown;

/** One field of a compiled record. */
interface Step {
  /** Readable name, the path segment in errors. */
  readonly name: string;
  /** Key read from the input and key written to the output (wire key and name, by direction). */
  readonly from: string;
  readonly to: string;
  readonly optional: boolean;
  readonly convert: Convert;
}

/** The fields of one record for one direction and version, in schema order. */
export type Plan = readonly Step[];

/** A conversion failure; the path from the record converted down to the bad value grows as it propagates. */
export class FieldFault extends Error {
  override readonly name = 'FieldFault';
  /** Field names and list indices, outermost first. */
  private readonly segments: Array<string | number> = [];

  constructor(readonly problem: string) {
    super(problem);
  }

  /** Adds the enclosing field or list index; returns the fault to rethrow. */
  within(segment: string | number): FieldFault {
    this.segments.unshift(segment);
    return this;
  }

  /** The message of the interpreter this replaces: `a.b[2].c: problem`, below `base` (may be ''). */
  describe(base: string): string {
    let path = base;
    for (const segment of this.segments) {
      if (typeof segment === 'number') path = `${path}[${segment}]`;
      else path = path ? `${path}.${segment}` : segment;
    }
    return `${path}: ${this.problem}`;
  }
}

/** Rethrows `error` as having happened inside `segment`. */
function inside(error: unknown, segment: string | number): unknown {
  return error instanceof FieldFault ? error.within(segment) : error;
}

const plans = new WeakMap<RecordSchema, { in: Map<number, Plan>; out: Map<number, Plan> }>();

/** The plan of `schema` for one direction and version, compiled on first use. */
export function planOf(schema: RecordSchema, dir: 'in' | 'out', version: number): Plan {
  let byDir = plans.get(schema);
  if (!byDir) {
    byDir = { in: new Map(), out: new Map() };
    plans.set(schema, byDir);
  }
  let plan = byDir[dir].get(version);
  if (!plan) {
    plan = compile(schema, dir, version);
    byDir[dir].set(version, plan);
  }
  return plan;
}

function compile(schema: RecordSchema, dir: 'in' | 'out', version: number): Plan {
  const steps: Step[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    // A field newer than the version is not part of it: an unknown key, ignored [VER-2].
    if (spec.since !== undefined && spec.since > version) continue;
    steps.push({
      name,
      from: dir === 'in' ? spec.key : name,
      to: dir === 'in' ? name : spec.key,
      optional: spec.optional === true,
      convert: converter(spec.kind, dir, version),
    });
  }
  return Object.freeze(steps);
}

/**
 * Converts the map `value` by `plan` into `out`. Unknown keys are ignored
 * [WIRE-8]; absent or nil optional fields are omitted [WIRE-11].
 */
export function fill(plan: Plan, value: unknown, out: Record<string, unknown>): Record<string, unknown> {
  if (!isPlainMap(value)) throw new FieldFault('expected a map');
  // Indexed, not for-of: this runs for every field of every frame, and the
  // iterator's result objects are not always optimized away.
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i]!;
    const raw = Object.hasOwn(value, step.from) ? value[step.from] : undefined;
    if (raw === undefined || raw === null) {
      if (step.optional) continue;
      throw new FieldFault('required').within(step.name);
    }
    try {
      out[step.to] = step.convert(raw);
    } catch (error) {
      throw inside(error, step.name);
    }
  }
  return out;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Matches an unpaired UTF-16 surrogate (with the u flag, paired ones are one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether a string has no unpaired surrogate: ES2024's `isWellFormed` where
 * the runtime has it (several times faster than the regex on every string of
 * every frame), else the regex. Both answer the same.
 */
const isWellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

const SCALAR_CHECKS: Readonly<Record<ScalarKind, (value: unknown) => boolean>> = {
  uint: (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0,
  u32: (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff,
  // A lone surrogate has no UTF-8 form: such a string cannot be sent [WIRE-15].
  str: (value) => typeof value === 'string' && isWellFormed(value),
  bool: (value) => typeof value === 'boolean',
};

function converter(kind: FieldKind, dir: 'in' | 'out', version: number): Convert {
  if (typeof kind === 'string') {
    const check = SCALAR_CHECKS[kind];
    const problem = `expected ${kind}`;
    return (value) => {
      if (!check(value)) throw new FieldFault(problem);
      return value;
    };
  }
  if ('list' in kind) {
    const check = SCALAR_CHECKS[kind.list];
    const problem = `expected a list of ${kind.list}`;
    const itemProblem = `expected ${kind.list}`;
    return (value) => {
      if (!Array.isArray(value)) throw new FieldFault(problem);
      // forEach and slice, as before compilation: holes of a sparse list are skipped and kept.
      value.forEach((item, n) => {
        if (!check(item)) throw new FieldFault(itemProblem).within(n);
      });
      return value.slice();
    };
  }
  if ('oneOf' in kind) {
    const allowed = kind.oneOf;
    const problem = `expected one of ${allowed.join(', ')}`;
    return (value) => {
      if (typeof value !== 'string' || !allowed.includes(value)) throw new FieldFault(problem);
      return value;
    };
  }
  if ('record' in kind) {
    const plan = planOf(kind.record, dir, version);
    return (value) => fill(plan, value, {});
  }
  const plan = planOf(kind.records, dir, version);
  return (value) => {
    if (!Array.isArray(value)) throw new FieldFault('expected a list of records');
    return value.map((item, n) => {
      try {
        return fill(plan, item, {});
      } catch (error) {
        throw inside(error, n);
      }
    });
  };
}
