/**
 * Validates limit overrides (server configuration) with the same schema the
 * codec uses for `welcome.limits`, so a server can never start with limits it
 * cannot advertise [HS-7, LIMIT-1].
 *
 * @module
 */

import { LIMITS_SCHEMA } from './frames.js';
import { DEFAULT_LIMITS, LIMIT_MINIMUMS, type Limits, MAX_SERVER_FRAME_BYTES } from './limits.js';
import { convertRecord, SchemaViolation } from './schema.js';

/**
 * Merges `overrides` into `base` after checking every key and value: unknown
 * keys, non-integers, negatives and values under {@link LIMIT_MINIMUMS} are
 * refused with a {@link SchemaViolation} naming the key and the value.
 */
export function resolveLimits(overrides: unknown, base: Readonly<Limits> = DEFAULT_LIMITS): Limits {
  if (overrides === undefined) return { ...base };
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new SchemaViolation(`limits must be an object of integers, got ${show(overrides)}`);
  }
  const known = Object.keys(LIMITS_SCHEMA);
  for (const [key, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(LIMITS_SCHEMA, key)) {
      throw new SchemaViolation(`unknown limit "${key}" (known: ${known.join(', ')})`);
    }
    const name = key as keyof Limits;
    const spec = LIMITS_SCHEMA[name];
    try {
      convertRecord({ [name]: spec }, { [name]: value }, 'limits', 'out');
    } catch {
      throw new SchemaViolation(`limits.${key} must be a non-negative integer, got ${show(value)}`);
    }
    const minimum = LIMIT_MINIMUMS[name] ?? 0;
    if ((value as number) < minimum) {
      throw new SchemaViolation(`limits.${key} must be at least ${minimum}, got ${show(value)}`);
    }
  }
  const limits = { ...base, ...(overrides as Partial<Limits>) };
  if (limits.maxFrameBytes > MAX_SERVER_FRAME_BYTES) {
    throw new SchemaViolation(
      `limits.maxFrameBytes must be at most ${MAX_SERVER_FRAME_BYTES}, got ${limits.maxFrameBytes}`,
    );
  }
  return limits;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}
