/**
 * Hand-built MessagePack maps for edge inputs the encoder would never
 * produce: an integral float (`3.0` as float64, which `encode` writes as the
 * integer 3) and a uint64 above 2^53 − 1 (which `encode` writes as a float).
 *
 * @module
 */

import { encode } from '@msgpack/msgpack';

/** A value written with exact wire bytes. */
export class WireBytes {
  constructor(
    readonly bytes: Uint8Array,
    readonly note: string,
  ) {}
}

/** `n` as a float64 (0xcb), even when it is integral. */
export function float64(n: number): WireBytes {
  const bytes = new Uint8Array(9);
  bytes[0] = 0xcb;
  new DataView(bytes.buffer).setFloat64(1, n);
  return new WireBytes(bytes, `float64 ${n}`);
}

/** `n` as a uint64 (0xcf): exact for values JavaScript numbers cannot hold. */
export function uint64(n: bigint): WireBytes {
  const bytes = new Uint8Array(9);
  bytes[0] = 0xcf;
  new DataView(bytes.buffer).setBigUint64(1, n);
  return new WireBytes(bytes, `uint64 ${n}`);
}

/** Encodes a map whose values may be {@link WireBytes}; other values go through `encode`. */
export function wireMap(entries: Record<string, unknown>): Uint8Array {
  const keys = Object.keys(entries);
  if (keys.length > 15) throw new Error('wireMap writes fixmaps only');
  const parts: Uint8Array[] = [new Uint8Array([0x80 | keys.length])];
  for (const key of keys) {
    const value = entries[key];
    parts.push(encode(key), value instanceof WireBytes ? value.bytes : encode(value));
  }
  return Buffer.concat(parts);
}
