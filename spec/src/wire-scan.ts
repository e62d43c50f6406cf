/**
 * A structural scan of raw MessagePack bytes for what a decoded JavaScript
 * value cannot show: a float on the wire (`3.0` decodes to the number 3, yet
 * a float where an integer is expected is malformed [WIRE-12]) and extension
 * types anywhere in the frame [WIRE-13]. It only walks headers and lengths;
 * the decoder still does the decoding and reports truncation.
 *
 * @module
 * @internal
 */

/** What {@link scanWire} found. */
export interface WireScan {
  /** Top-level map keys whose value holds a float at any depth. */
  readonly floatKeys: ReadonlySet<string>;
  /** Whether an extension type occurs anywhere. */
  readonly extension: boolean;
}

const NOTHING: WireScan = { floatKeys: new Set(), extension: false };

/** Scans one frame's bytes; returns nothing found for input that is not a well-formed map. */
export function scanWire(bytes: Uint8Array): WireScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const state = { floats: 0, extension: false };
  try {
    const head = bytes[0]!;
    let entries: number;
    let pos: number;
    if (head >= 0x80 && head <= 0x8f) [entries, pos] = [head & 0x0f, 1];
    else if (head === 0xde) [entries, pos] = [view.getUint16(1), 3];
    else if (head === 0xdf) [entries, pos] = [view.getUint32(1), 5];
    else return NOTHING;
    const floatKeys = new Set<string>();
    for (let n = 0; n < entries; n++) {
      const keyStart = pos;
      pos = skip(view, pos, state, 0);
      const key = readStr(bytes, view, keyStart);
      const before = state.floats;
      pos = skip(view, pos, state, 0);
      if (state.floats > before && key !== undefined) floatKeys.add(key);
    }
    return { floatKeys, extension: state.extension };
  } catch {
    // Truncated or nested too deep: the decoder reports it.
    return NOTHING;
  }
}

function readStr(bytes: Uint8Array, view: DataView, pos: number): string | undefined {
  const head = bytes[pos]!;
  let start: number;
  let length: number;
  if (head >= 0xa0 && head <= 0xbf) [start, length] = [pos + 1, head & 0x1f];
  else if (head === 0xd9) [start, length] = [pos + 2, view.getUint8(pos + 1)];
  else return undefined;
  return new TextDecoder().decode(bytes.subarray(start, start + length));
}

/** Returns the position after the value at `pos`, counting floats and noting extensions. */
function skip(view: DataView, pos: number, state: { floats: number; extension: boolean }, depth: number): number {
  if (depth > 100 || pos >= view.byteLength) throw new RangeError('truncated or too deep');
  const head = view.getUint8(pos);
  if (head <= 0x7f || head >= 0xe0 || head === 0xc0 || head === 0xc2 || head === 0xc3) return pos + 1;
  if (head <= 0x8f) return items(view, pos + 1, (head & 0x0f) * 2, state, depth);
  if (head <= 0x9f) return items(view, pos + 1, head & 0x0f, state, depth);
  if (head <= 0xbf) return pos + 1 + (head & 0x1f);
  switch (head) {
    case 0xc4:
      return pos + 2 + view.getUint8(pos + 1);
    case 0xc5:
      return pos + 3 + view.getUint16(pos + 1);
    case 0xc6:
      return pos + 5 + view.getUint32(pos + 1);
    case 0xc7:
    case 0xc8:
    case 0xc9: {
      state.extension = true;
      const size =
        head === 0xc7 ? view.getUint8(pos + 1) : head === 0xc8 ? view.getUint16(pos + 1) : view.getUint32(pos + 1);
      const header = head === 0xc7 ? 3 : head === 0xc8 ? 4 : 6;
      return pos + header + size;
    }
    case 0xca:
      state.floats++;
      return pos + 5;
    case 0xcb:
      state.floats++;
      return pos + 9;
    case 0xcc:
    case 0xd0:
      return pos + 2;
    case 0xcd:
    case 0xd1:
      return pos + 3;
    case 0xce:
    case 0xd2:
      return pos + 5;
    case 0xcf:
    case 0xd3:
      return pos + 9;
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
      state.extension = true;
      return pos + 2 + 2 ** (head - 0xd4);
    case 0xd9:
      return pos + 2 + view.getUint8(pos + 1);
    case 0xda:
      return pos + 3 + view.getUint16(pos + 1);
    case 0xdb:
      return pos + 5 + view.getUint32(pos + 1);
    case 0xdc:
      return items(view, pos + 3, view.getUint16(pos + 1), state, depth);
    case 0xdd:
      return items(view, pos + 5, view.getUint32(pos + 1), state, depth);
    case 0xde:
      return items(view, pos + 3, view.getUint16(pos + 1) * 2, state, depth);
    case 0xdf:
      return items(view, pos + 5, view.getUint32(pos + 1) * 2, state, depth);
    default:
      throw new RangeError(`reserved byte 0x${head.toString(16)}`);
  }
}

function items(
  view: DataView,
  pos: number,
  count: number,
  state: { floats: number; extension: boolean },
  depth: number,
): number {
  let at = pos;
  for (let i = 0; i < count; i++) {
    at = skip(view, at, state, depth + 1);
    if (at > view.byteLength) throw new RangeError('truncated');
  }
  return at;
}
