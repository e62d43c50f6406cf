/**
 * The server's own framing is byte for byte what ws would send: a peer
 * cannot tell a broadcast or a reply from a frame ws built.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { binaryFrame } from '../src/framing.js';

const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
};

function framedByWs(payload: Uint8Array): Buffer {
  const data = Buffer.from(payload);
  return Buffer.concat(Sender.frame(data, { fin: true, opcode: 2, mask: false, readOnly: true, rsv1: false }));
}

describe('binaryFrame', () => {
  it('builds the frame ws builds, at every length encoding (7, 16 and 64 bits) and their edges', () => {
    for (const length of [0, 1, 125, 126, 127, 0xffff, 0x1_0000, 0x1_0001, 3_000_000]) {
      const payload = Uint8Array.from({ length }, (_, i) => (i * 31) & 0xff);
      expect(binaryFrame(payload).equals(framedByWs(payload))).toBe(true);
    }
  });

  it('builds the frame ws builds for any payload, also one viewed inside a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), fc.nat(16), (bytes, offset) => {
        const backing = new Uint8Array(offset + bytes.length + 8);
        backing.set(bytes, offset);
        const view = backing.subarray(offset, offset + bytes.length);
        expect(binaryFrame(view).equals(framedByWs(bytes))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
