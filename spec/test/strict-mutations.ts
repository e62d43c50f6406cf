/**
 * Strictness classes for the fuzzers: valid frames made malformed in one way
 * each decoder must refuse with BAD_FRAME [WIRE-12, WIRE-13, WIRE-15..18].
 */
import { encode as encodeRaw } from '@msgpack/msgpack';
import fc from 'fast-check';
import { encodeFrame, FRAMES, type Frame, MAX_DEPTH } from '../src/index.js';

/** The names of the classes, for counting what was tried. */
export const STRICT_CLASSES = [
  'float under an unknown key',
  'integral float for an integer',
  'invalid UTF-8 under an unknown key',
  'invalid UTF-8 for a string',
  'too deep under an unknown key',
  'duplicate key',
  'extension type',
] as const;
export type StrictClass = (typeof STRICT_CLASSES)[number];

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, above U+10FFFF, truncated. */
const notUtf8 = fc.constantFrom(
  'ff',
  '80',
  'c080',
  'c1bf',
  'e08080',
  'eda080',
  'edbfbf',
  'f4908080',
  'f8888080',
  'e282',
  'f09f98',
);
const anyFloat = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 32 }).map((n) => {
    const b = Buffer.alloc(9);
    b[0] = 0xcb;
    b.writeDoubleBE(n, 1);
    return b.toString('hex');
  }),
  fc.double().map((n) => {
    const b = Buffer.alloc(9);
    b[0] = 0xcb;
    b.writeDoubleBE(n, 1);
    return b.toString('hex');
  }),
  fc.integer({ min: 0, max: 1000 }).map((n) => {
    const b = Buffer.alloc(5);
    b[0] = 0xca;
    b.writeFloatBE(n, 1);
    return b.toString('hex');
  }),
);

/** Adds one entry `key: valueHex` to an encoded frame (a fixmap or map 16, as every frame is). */
function withEntry(bytes: Uint8Array, keyHex: string, valueHex: string): Uint8Array {
  const head = bytes[0]!;
  let prefix: string;
  let body: Uint8Array;
  if (head >= 0x80 && head < 0x8f) {
    prefix = (head + 1).toString(16);
    body = bytes.subarray(1);
  } else if (head === 0x8f) {
    prefix = 'de0010';
    body = bytes.subarray(1);
  } else if (head === 0xde) {
    prefix = `de${((bytes[1]! << 8) + bytes[2]! + 1).toString(16).padStart(4, '0')}`;
    body = bytes.subarray(3);
  } else {
    throw new Error('expected a fixmap or a map 16');
  }
  return Uint8Array.from(Buffer.from(prefix + hex(body) + keyHex + valueHex, 'hex'));
}

/** Replaces the encoding of the first value equal to `placeholder` (a str) by `valueHex`. */
function replaceValue(bytes: Uint8Array, placeholderHex: string, valueHex: string): Uint8Array {
  const text = hex(bytes);
  const at = text.indexOf(placeholderHex);
  return Uint8Array.from(Buffer.from(text.slice(0, at) + valueHex + text.slice(at + placeholderHex.length), 'hex'));
}

const PLACEHOLDER = '\u0001placeholder\u0001';
const PLACEHOLDER_HEX = 'ad01706c616365686f6c64657201';

/** Frames with an integer field (besides t) and frames with a string field, for in-place mutations. */
const withInt: Frame[] = [
  { type: 'ping', id: 9 },
  { type: 'history', id: 4, room: 'lobby', before: 10, limit: 5 },
  { type: 'join', id: 6, room: 'lobby', epoch: 'x', seq: 3 },
];
const withStr: Frame[] = [
  { type: 'send', id: 3, room: 'lobby', clientId: 'c', text: 'hi' },
  { type: 'login', id: 1, name: 'somchai', key: 'k' },
  { type: 'join', id: 2, room: 'lobby' },
];

/** One malformed frame of each class, from `base` frames. */
export function strictMutation(base: fc.Arbitrary<Frame>): fc.Arbitrary<{ kind: StrictClass; bytes: Uint8Array }> {
  const unknownKey = fc.constantFrom('a27a7a', 'a27171', `a9${hex(Buffer.from('__proto__'))}`);
  return fc.oneof(
    fc
      .tuple(base, unknownKey, anyFloat)
      .map(([f, k, v]) => ({ kind: 'float under an unknown key' as const, bytes: withEntry(encodeFrame(f), k, v) })),
    fc
      .tuple(
        fc.constantFrom(...withInt),
        anyFloat.filter((v) => v.startsWith('cb') || v.startsWith('ca')),
      )
      .chain(([f, float]) => {
        const keys = Object.keys(f).filter((k) => typeof (f as unknown as Record<string, unknown>)[k] === 'number');
        return fc.constantFrom(...keys).map((k) => {
          const frame = { ...f, [k]: PLACEHOLDER } as unknown as Record<string, unknown>;
          const bytes = encodeLoose(frame);
          return { kind: 'integral float for an integer' as const, bytes: replaceValue(bytes, PLACEHOLDER_HEX, float) };
        });
      }),
    fc.tuple(base, unknownKey, notUtf8).map(([f, k, v]) => ({
      kind: 'invalid UTF-8 under an unknown key' as const,
      bytes: withEntry(encodeFrame(f), k, `a${(v.length / 2).toString(16)}${v}`),
    })),
    fc.tuple(fc.constantFrom(...withStr), notUtf8).chain(([f, bad]) => {
      const keys = Object.keys(f).filter(
        (k) => k !== 'type' && typeof (f as unknown as Record<string, unknown>)[k] === 'string',
      );
      return fc.constantFrom(...keys).map((k) => {
        const bytes = encodeLoose({ ...f, [k]: PLACEHOLDER } as unknown as Record<string, unknown>);
        const value = `a${(bad.length / 2 + 1).toString(16)}61${bad}`;
        return { kind: 'invalid UTF-8 for a string' as const, bytes: replaceValue(bytes, PLACEHOLDER_HEX, value) };
      });
    }),
    fc.tuple(base, fc.integer({ min: MAX_DEPTH, max: 5000 })).map(([f, depth]) => ({
      kind: 'too deep under an unknown key' as const,
      bytes: withEntry(encodeFrame(f), 'a27a7a', `${'91'.repeat(depth)}c0`),
    })),
    // Every frame has `t`; a second `t` (a positive fixint) makes the key ambiguous.
    fc.tuple(base, fc.nat(100)).map(([f, n]) => ({
      kind: 'duplicate key' as const,
      bytes: withEntry(encodeFrame(f), 'a174', n.toString(16).padStart(2, '0')),
    })),
    fc
      .tuple(base, fc.constantFrom('d40100', 'd5ff0000', 'c70100', 'd6ff00000000'))
      .map(([f, v]) => ({ kind: 'extension type' as const, bytes: withEntry(encodeFrame(f), 'a27a7a', v) })),
  );
}

/** Encodes a frame whose fields may break the schema (a placeholder in an integer field). */
function encodeLoose(frame: Record<string, unknown>): Uint8Array {
  const descriptor = Object.values(FRAMES).find((d) => d.name === frame.type)!;
  const wire: Record<string, unknown> = { t: descriptor.code };
  for (const [name, spec] of Object.entries(descriptor.fields))
    if (frame[name] !== undefined) wire[spec.key] = frame[name];
  return encodeRaw(wire);
}
