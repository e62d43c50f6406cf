/**
 * What of a raw server frame a session of an older protocol version must
 * never see [VER-2]: a frame type added later, or a field or limit that
 * Appendix A marks with a later version, anywhere in the frame's records.
 * Read from the descriptors, so a field added to the spec is checked here
 * without a line of this file changing.
 *
 * @module
 */

import { FRAMES_BY_CODE, type RecordSchema } from '@kuykan/protocol';
import { decode } from '@msgpack/msgpack';

/** Where in a raw frame a session of `version` finds what its version does not define (empty: nothing). */
export function newerThan(bytes: Uint8Array, version: number): string[] {
  let value: unknown;
  try {
    value = decode(bytes);
  } catch {
    return []; // not MessagePack: the codec reports it as undecodable
  }
  if (!isMap(value)) return [];
  const descriptor = typeof value.t === 'number' ? FRAMES_BY_CODE.get(value.t) : undefined;
  if (!descriptor) return [];
  if (descriptor.since > version)
    return [`frame type ${descriptor.name} (${descriptor.code}, since ${descriptor.since})`];
  const found: string[] = [];
  walk(descriptor.fields, value, descriptor.name, version, found);
  return found;
}

function walk(schema: RecordSchema, map: Record<string, unknown>, path: string, version: number, found: string[]) {
  for (const [name, spec] of Object.entries(schema)) {
    const raw = Object.hasOwn(map, spec.key) ? map[spec.key] : undefined;
    if (raw === undefined || raw === null) continue;
    const at = `${path}.${name}`;
    if ((spec.since ?? 1) > version) {
      found.push(`${at} (key ${spec.key}, since ${spec.since})`);
      continue;
    }
    const kind = spec.kind;
    if (typeof kind !== 'object') continue;
    if ('record' in kind && isMap(raw)) walk(kind.record, raw, at, version, found);
    if ('records' in kind && Array.isArray(raw))
      raw.forEach((item, n) => {
        if (isMap(item)) walk(kind.records, item, `${at}[${n}]`, version, found);
      });
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
