import { ExtData, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { decodeFrame, ErrorCode, ProtocolError } from '../src/index.js';

/** A fixmap whose values are exact wire bytes (what `encode` would never write). */
function wireMap(entries: Record<string, Uint8Array>): Uint8Array {
  const keys = Object.keys(entries);
  return Buffer.concat([Buffer.from([0x80 | keys.length]), ...keys.flatMap((k) => [encode(k), entries[k]!])]);
}
const float64 = (n: number) => {
  const b = Buffer.alloc(9);
  b[0] = 0xcb;
  b.writeDoubleBE(n, 1);
  return b;
};

function refusal(bytes: Uint8Array): ProtocolError {
  try {
    decodeFrame(bytes, { direction: 'client' });
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('decoded');
}

describe('decodeFrame wire kinds', () => {
  it('refuses an integral float where an integer is expected, keeping the valid request id', () => {
    const error = refusal(wireMap({ t: encode(6), i: encode(7), r: encode('lobby'), l: float64(3) }));
    expect(error.code).toBe(ErrorCode.BAD_FRAME);
    expect(error.requestId).toBe(7);
  });

  it('refuses a float request id and reports no id', () => {
    const error = refusal(wireMap({ t: encode(9), i: float64(7) }));
    expect(error.code).toBe(ErrorCode.BAD_FRAME);
    expect(error.requestId).toBeUndefined();
  });

  it('refuses a float even under an unknown key, keeping the valid request id [WIRE-12]', () => {
    const error = refusal(wireMap({ t: encode(9), i: encode(4), zz: float64(1.5) }));
    expect(error.code).toBe(ErrorCode.BAD_FRAME);
    expect(error.requestId).toBe(4);
  });

  it('refuses an extension type anywhere, keeping the valid request id', () => {
    for (const value of [
      { t: 9, i: 8, zz: new ExtData(7, new Uint8Array([1])) },
      { t: 9, i: 8, zz: [{ y: new Date(0) }] },
    ]) {
      const error = refusal(encode(value));
      expect(error.code).toBe(ErrorCode.BAD_FRAME);
      expect(error.requestId).toBe(8);
    }
  });
});
