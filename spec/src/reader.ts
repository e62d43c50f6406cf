/**
 * A strict MessagePack reader for incoming frames (PROTOCOL.md §3.1).
 *
 * `@msgpack/msgpack`'s decoder cannot be made as strict as the protocol:
 * it decodes short strings leniently (`61 ff 62` → "aÿb", overlong `c0 80`
 * → U+0000, CESU surrogates), strips a leading U+FEFF from strings over
 * 200 bytes, turns float 9.0 into the integer 9, lets the last of duplicate
 * keys win, refuses `__proto__` instead of ignoring it, and has no depth
 * limit on decode. The encoder stays the library's; this reader only
 * accepts what the protocol allows, so two implementations agree on every
 * input [WIRE-3, WIRE-8, WIRE-12, WIRE-13, WIRE-15..18].
 *
 * @module
 */

import { MAX_ARRAY_LENGTH, MAX_DEPTH, MAX_MAP_ENTRIES } from './limits.js';

/** Thrown for bytes that are not one well-formed MessagePack value. */
export class MalformedInput extends Error {
  override readonly name = 'MalformedInput';
}

/** What {@link readValue} found: the value, and the first rule the bytes break (if any). */
export interface ReadResult {
  readonly value: unknown;
  /**
   * Why the frame is malformed although its structure could be read (a float,
   * invalid UTF-8, a duplicate key…); the caller still reads `i` from `value`
   * to answer with the request id [REQ-4].
   */
  readonly defect: string | undefined;
}

/**
 * The object a decoded map becomes. Its prototype is an empty object with no
 * prototype, so no key is inherited and `__proto__` is an own key like any
 * other, as with `Object.create(null)`; unlike that, its objects stay in V8's
 * fast mode (one shape per key order, no hash table per map), and every frame
 * is a map.
 */
const DataMap = function DataMap() {} as unknown as new () => Record<string, unknown>;
DataMap.prototype = Object.create(null);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class Reader {
  private pos = 0;
  /** For the rare wide and signed numbers; made on first use, so a frame of small values allocates none. */
  private wide: DataView | undefined;
  defect: string | undefined;

  constructor(private readonly bytes: Uint8Array) {}

  private get view(): DataView {
    this.wide ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    return this.wide;
  }

  read(): ReadResult {
    const value = this.value(0);
    if (this.pos !== this.bytes.byteLength) {
      throw new MalformedInput(`${this.bytes.byteLength - this.pos} trailing bytes after the value`);
    }
    return { value, defect: this.defect };
  }

  private flag(defect: string): void {
    this.defect ??= defect;
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.byteLength) throw new MalformedInput('input ends inside a value');
    this.pos = at + n;
    return at;
  }

  private u8(): number {
    return this.bytes[this.need(1)]!;
  }
  private u16(): number {
    const at = this.need(2);
    return (this.bytes[at]! << 8) | this.bytes[at + 1]!;
  }
  private u32(): number {
    const at = this.need(4);
    return (
      this.bytes[at]! * 0x100_0000 + ((this.bytes[at + 1]! << 16) | (this.bytes[at + 2]! << 8) | this.bytes[at + 3]!)
    );
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new MalformedInput(`nested deeper than ${MAX_DEPTH} levels`);
    const head = this.u8();
    if (head <= 0x7f) return head;
    if (head >= 0xe0) return head - 0x100;
    if (head <= 0x8f) return this.map(head - 0x80, depth);
    if (head <= 0x9f) return this.array(head - 0x90, depth);
    if (head <= 0xbf) return this.str(head - 0xa0);
    switch (head) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.bin(this.u8());
      case 0xc5:
        return this.bin(this.u16());
      case 0xc6:
        return this.bin(this.u32());
      case 0xc7:
        return this.ext(this.u8());
      case 0xc8:
        return this.ext(this.u16());
      case 0xc9:
        return this.ext(this.u32());
      case 0xca:
        this.need(4);
        return this.float();
      case 0xcb:
        this.need(8);
        return this.float();
      case 0xcc:
        return this.u8();
      case 0xcd:
        return this.u16();
      case 0xce:
        return this.u32();
      case 0xcf:
        return Number(this.view.getBigUint64(this.need(8)));
      case 0xd0:
        return this.view.getInt8(this.need(1));
      case 0xd1:
        return this.view.getInt16(this.need(2));
      case 0xd2:
        return this.view.getInt32(this.need(4));
      case 0xd3:
        return Number(this.view.getBigInt64(this.need(8)));
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        return this.ext(1 << (head - 0xd4));
      case 0xd9:
        return this.str(this.u8());
      case 0xda:
        return this.str(this.u16());
      case 0xdb:
        return this.str(this.u32());
      case 0xdc:
        return this.array(this.u16(), depth);
      case 0xdd:
        return this.array(this.u32(), depth);
      case 0xde:
        return this.map(this.u16(), depth);
      case 0xdf:
        return this.map(this.u32(), depth);
      default:
        throw new MalformedInput('byte 0xc1 is never MessagePack');
    }
  }

  /** v1 has no float fields: a float anywhere makes the frame malformed [WIRE-12]. */
  private float(): number {
    this.flag('a float (protocol v1 has no float fields)');
    return Number.NaN;
  }

  private ext(length: number): undefined {
    this.need(1 + length);
    this.flag('an extension type [WIRE-13]');
    return undefined;
  }

  private bin(length: number): Uint8Array {
    const at = this.need(length);
    return this.bytes.slice(at, at + length);
  }

  /** A string, refused (never altered) when its bytes are not UTF-8 [WIRE-15]. */
  private str(length: number): string {
    const at = this.need(length);
    const end = at + length;
    // Short ASCII strings (keys, ids, most names) are common: build them directly.
    if (length <= 32) {
      let text = '';
      let n = at;
      for (; n < end; n++) {
        const byte = this.bytes[n]!;
        if (byte >= 0x80) break;
        text += String.fromCharCode(byte);
      }
      if (n === end) return text;
    }
    try {
      return utf8.decode(this.bytes.subarray(at, end));
    } catch {
      this.flag('a string that is not UTF-8');
      return '';
    }
  }

  private array(size: number, depth: number): unknown[] {
    if (size > MAX_ARRAY_LENGTH) throw new MalformedInput(`a list of ${size} items (at most ${MAX_ARRAY_LENGTH})`);
    // Every item takes at least one byte: a size beyond the input is truncated.
    if (size > this.bytes.byteLength - this.pos) throw new MalformedInput('input ends inside a list');
    const items = new Array<unknown>(size);
    for (let n = 0; n < size; n++) items[n] = this.value(depth + 1);
    return items;
  }

  /** A map as an object without Object.prototype above it, so any key (`__proto__` too) is just data [WIRE-8]. */
  private map(size: number, depth: number): Record<string, unknown> {
    if (size > MAX_MAP_ENTRIES) throw new MalformedInput(`a map of ${size} entries (at most ${MAX_MAP_ENTRIES})`);
    if (2 * size > this.bytes.byteLength - this.pos) throw new MalformedInput('input ends inside a map');
    const map = new DataMap();
    let duplicates: string[] | undefined;
    for (let n = 0; n < size; n++) {
      const key = this.value(depth + 1);
      const value = this.value(depth + 1);
      if (typeof key !== 'string') {
        this.flag('a map key that is not a string [WIRE-16]');
        continue;
      }
      if (Object.hasOwn(map, key)) {
        this.flag(`duplicate key "${key}" [WIRE-16]`);
        duplicates = [...(duplicates ?? []), key];
      }
      map[key] = value;
    }
    // A key given twice has no value: a duplicated `i` is no request id to report.
    if (duplicates) for (const key of duplicates) delete map[key];
    return map;
  }
}

/** Reads exactly one MessagePack value; throws {@link MalformedInput} when the structure is broken. */
export function readValue(bytes: Uint8Array): ReadResult {
  return new Reader(bytes).read();
}
